from django.urls import path

from baselines import views

app_name = "baselines"

urlpatterns = [
    path("projects/<int:pk>/baselines/", views.capture, name="capture"),
    path("baselines/<int:pk>/", views.variance, name="variance"),
    path("baselines/<int:pk>/variance.csv", views.variance_csv, name="variance_csv"),
    path("baselines/<int:pk>/reference/", views.reference, name="reference"),
    path("baselines/<int:pk>/rename/", views.rename, name="rename"),
    path("baselines/<int:pk>/delete/", views.delete, name="delete"),
]
