"""The API's one error shape, whatever goes wrong, and never a stack trace."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_path_is_a_json_404(api, member):
    api.force_authenticate(member)
    response = api.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "errors": {}}


def test_a_write_to_an_unknown_path_is_a_json_404_too(client):
    client.handler.enforce_csrf_checks = True  # as a device with a token (no CSRF cookie) is seen
    response = client.put("/api/v1/no-such-thing/1/", b"x", content_type="application/octet-stream")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_wrong_method_is_a_json_405(api, member):
    api.force_authenticate(member)
    response = api.put("/api/v1/me/", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed" and '"PUT"' in response.json()["message"]


def test_malformed_json_is_a_400_with_a_message(api, member):
    api.force_authenticate(member)
    response = api.generic("POST", "/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error" and "JSON" in response.json()["message"]


def test_unsupported_media_type_is_415(api):
    response = api.generic("POST", "/api/v1/auth/token/", "<xml/>", content_type="application/xml")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_unexpected_errors_are_a_json_500_without_a_trace(api, member, monkeypatch):
    from accounts.api import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.MeOut, "to_representation", explode)
    api.force_authenticate(member)
    api.raise_request_exception = False
    response = api.get("/api/v1/me/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error" and "secret" not in response.content.decode()


def test_an_oversized_json_body_is_a_413(api, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api.force_authenticate(member)
    response = api.generic("DELETE", "/api/v1/auth/token/", "{" + " " * 2000 + "}", content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


def test_a_lost_race_on_a_database_constraint_is_a_409():
    from django.db import IntegrityError

    from pit.api.errors import exception_handler

    response = exception_handler(IntegrityError('duplicate key value violates "task_dependency_pair_uniq"'), {})
    assert response.status_code == 409 and response.data["code"] == "conflict"
    assert "task_dependency" not in response.data["message"]  # no database internals
