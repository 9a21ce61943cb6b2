"""The evidence pages (included at the site root by pit/urls.py)."""

from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("tasks/<int:pk>/evidence/", views.upload, name="upload"),
    path("evidence/<int:pk>/", views.detail, name="detail"),
    path("evidence/<int:pk>/download/", views.download, name="download"),
    path("evidence/<int:pk>/clarify/", views.clarify, name="clarify"),
    path("evidence/<int:pk>/delete/", views.delete, name="delete"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/evaluation/", views.evaluation_page, name="evaluation"),
    path("reviews/<int:pk>/", views.review, name="review"),
]
