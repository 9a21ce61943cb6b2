from django.urls import path
from rest_framework.routers import SimpleRouter

from projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("deliverables", views.DeliverableViewSet, basename="deliverable")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("dependencies", views.DependencyViewSet, basename="dependency")

urlpatterns = [path("my-work/", views.MyWorkView.as_view(), name="my-work"), *router.urls]
