from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from pit import views

admin.site.site_header = "PIT administration"
admin.site.site_title = "PIT admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
