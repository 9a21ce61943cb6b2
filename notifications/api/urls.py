from django.urls import path
from rest_framework.routers import SimpleRouter

from notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("devices/", views.DevicesView.as_view(), name="devices"),
    path("devices/<int:pk>/", views.DeviceView.as_view(), name="device"),
    *router.urls,
]
