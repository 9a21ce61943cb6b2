"""The watchdog pages (included at the site root by pit/urls.py)."""

app_name = "watchdog"

urlpatterns = []
