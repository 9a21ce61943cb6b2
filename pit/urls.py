from django.contrib import admin
from django.urls import include, path

from pit import views

admin.site.site_header = "PIT administration"
admin.site.site_title = "PIT admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]
