from django.urls import path

from activity import views

app_name = "activity"

urlpatterns = [
    path("activity/", views.org_feed, name="org"),
    path("projects/<int:pk>/activity/", views.project_feed, name="project"),
    path("projects/<int:pk>/changes/", views.project_changes, name="changes"),
    path("tasks/<int:pk>/activity/", views.task_feed, name="task"),
]
