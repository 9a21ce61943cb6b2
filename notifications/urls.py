"""The notifications pages (included at the site root by pit/urls.py)."""

app_name = "notifications"

urlpatterns = []
