"""The schema and its docs (served offline from drf-spectacular-sidecar), and a JSON 404 for any other path.

pit/urls.py includes this last under /api/v1/, after every app's `api.urls`.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from pit.api import errors

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^", errors.not_found),
]
