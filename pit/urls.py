from django.contrib import admin
from django.urls import include, path

from pit import views
from projects.views.portfolio import dashboard

admin.site.site_header = "PIT administration"
admin.site.site_title = "PIT admin"

API_V1 = [  # each app's api/ package; pit.api.urls last (schema, docs, then a JSON 404 for any other path)
    path("", include("accounts.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("watchdog.api.urls")),
    path("", include("evidence.api.urls")),
    path("", include("decisions.api.urls")),
    path("", include("pit.api.urls")),
]

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", include("projects.urls")),
    path("", include("baselines.urls")),
    path("", include("evidence.urls")),
    path("", include("watchdog.urls")),
    path("", include("decisions.urls")),
    path("", include("notifications.urls")),
    path("", include("sharing.urls")),
    path("", include("interchange.urls")),
    path("", include("calendars.urls")),
    path("", include("activity.urls")),
    path("api/v1/", include((API_V1, "api"))),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]
