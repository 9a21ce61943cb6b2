"""The notifications pages (included at the site root by pit/urls.py)."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
    path("notifications/settings/", views.preferences_page, name="settings"),
    path("notifications/settings/organisation/", views.org_preferences_page, name="org_settings"),
    path("notifications/devices/", views.register_device, name="register_device"),
    path("notifications/devices/<int:pk>/remove/", views.remove_device, name="remove_device"),
]
