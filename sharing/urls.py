from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("projects/<int:pk>/share/", views.share_project, name="share_project"),
    path("evidence/<int:pk>/share/", views.share_evidence, name="share_evidence"),
    path("share-links/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("s/<str:token>/", views.open_link, name="open"),
]
