"""The watchdog pages (included at the site root by pit/urls.py)."""

from django.urls import path

from watchdog import views

app_name = "watchdog"

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<int:pk>/snooze/", views.snooze, name="snooze"),
    path("alerts/scan/", views.scan_now, name="scan"),
    path("alerts/settings/", views.settings_page, name="settings"),
]
