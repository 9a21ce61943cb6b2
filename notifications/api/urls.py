from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("devices/", views.DevicesView.as_view(), name="devices"),
    # any id reaches the view (a JSON 404), as the routers' do: a malformed one must not fall to a non-API page
    re_path(r"^devices/(?P<pk>[^/.]+)/$", views.DeviceView.as_view(), name="device"),
    *router.urls,
]
