"""The OpenAPI schema: valid, free of generator warnings, listing every endpoint; the docs are served offline."""

import json

import pytest
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/auth/token/": {"post", "delete"},
    "/api/v1/me/": {"get"},
    "/api/v1/my-work/": {"get"},
    "/api/v1/projects/": {"get", "post"},
    "/api/v1/projects/{id}/": {"get", "patch", "delete"},
    "/api/v1/projects/{id}/timeline/": {"get"},
    "/api/v1/milestones/": {"get", "post"},
    "/api/v1/milestones/{id}/": {"get", "patch", "delete"},
    "/api/v1/deliverables/": {"get", "post"},
    "/api/v1/deliverables/{id}/": {"get", "patch", "delete"},
    "/api/v1/tasks/": {"get", "post"},
    "/api/v1/tasks/{id}/": {"get", "patch", "delete"},
    "/api/v1/tasks/{id}/status/": {"post"},
    "/api/v1/tasks/{id}/progress/": {"post"},
    "/api/v1/dependencies/": {"get", "post"},
    "/api/v1/dependencies/{id}/": {"get", "delete"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/{id}/": {"get"},
    "/api/v1/notifications/{id}/read/": {"post"},
    "/api/v1/notifications/read-all/": {"post"},
    "/api/v1/notifications/unread-count/": {"get"},
    "/api/v1/devices/": {"post"},
    "/api/v1/devices/{id}/": {"delete"},
    "/api/v1/alerts/": {"get"},
    "/api/v1/alerts/{id}/": {"get"},
    "/api/v1/alerts/{id}/acknowledge/": {"post"},
    "/api/v1/alerts/{id}/snooze/": {"post"},
    "/api/v1/evidence/": {"get", "post"},
    "/api/v1/evidence/{id}/": {"get"},
    "/api/v1/evidence/{id}/download/": {"get"},
    "/api/v1/evidence/{id}/versions/": {"post"},
    "/api/v1/reviews/": {"get"},
    "/api/v1/uploads/": {"get", "post"},
    "/api/v1/uploads/{id}/": {"get", "delete"},
    "/api/v1/uploads/{id}/parts/{number}/": {"put"},
    "/api/v1/uploads/{id}/complete/": {"post"},
    "/api/v1/reviews/{id}/": {"get"},
    "/api/v1/reviews/{id}/decide/": {"post"},
    "/api/v1/decisions/": {"get"},
    "/api/v1/decisions/{id}/": {"get"},
    "/api/v1/decisions/{id}/comments/": {"post"},
    "/api/v1/decisions/{id}/decide/": {"post"},
}


def test_schema_is_valid_and_lists_every_endpoint(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items() if path != "/api/v1/schema/"}
    assert paths == ENDPOINTS
    task_list = schema["paths"]["/api/v1/tasks/"]["get"]
    assert {p["name"] for p in task_list["parameters"]} >= {"updated_since", "cursor", "page_size", "If-None-Match"}
    assert {"304", "400", "401"} <= set(task_list["responses"])
    patch = schema["paths"]["/api/v1/tasks/{id}/"]["patch"]
    assert {"If-Match", "Idempotency-Key"} <= {p["name"] for p in patch["parameters"]} and "412" in patch["responses"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    complete = schema["paths"]["/api/v1/uploads/{id}/complete/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in complete["parameters"]}
    assert {"409", "422"} <= set(complete["responses"])
    part = schema["paths"]["/api/v1/uploads/{id}/parts/{number}/"]["put"]
    assert list(part["requestBody"]["content"]) == ["application/octet-stream"] and "413" in part["responses"]
    assert "Idempotency-Key" not in {p["name"] for p in part["parameters"]}  # a part is re-sent by its number


def test_schema_generation_has_no_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/tasks/{id}/progress/" in (tmp_path / "schema.yaml").read_text()


def test_docs_are_served_without_any_cdn(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page and "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "https://" not in page
