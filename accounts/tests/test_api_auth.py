"""Device sign-in over the API: tokens issued, used, expired, revoked (sign-out, sessions page, new password,
deactivation), throttled; session auth keeps working for the browser."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import hash_token
from accounts.tests.factories import PASSWORD
from pit.models import AuditLog

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
NEW = "a fresh long passphrase"


def sign_in(api, user, device="Mia's phone", password=PASSWORD):
    return api.post(TOKEN_URL, {"email": user.email, "password": password, "device_name": device}, format="json")


def bearer(api, raw):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api


def test_sign_in_issues_a_hashed_token_that_authenticates(api, member):
    response = sign_in(api, member)
    assert response.status_code == 201
    raw = response.json()["token"]
    assert response.json()["user"]["email"] == member.email
    token = ApiToken.objects.get(user=member)
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash and token.device_name == "Mia's phone"
    assert token.expires_at > timezone.now() + timedelta(days=80)
    assert AuditLog.objects.filter(action="TOKEN_ISSUED", record_id=str(token.pk)).exists()
    me = bearer(api, raw).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == member.email and "task.update_own" in me.json()["permissions"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(api, member, own_queries):
    raw = sign_in(api, member).json()["token"]
    bearer(api, raw).get("/api/v1/me/")
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(seconds=30))
    assert own_queries(api, "/api/v1/me/") == 1  # the token (with its user and organisation); no write
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=5))
    assert own_queries(api, "/api/v1/me/") == 2
    assert ApiToken.objects.get().last_used_at > timezone.now() - timedelta(seconds=5)


def test_wrong_password_is_a_json_401_and_issues_nothing(api, member):
    response = sign_in(api, member, password="wrong")
    assert response.status_code == 401
    assert response.json()["message"] == "That email and password do not match an active account."
    assert not ApiToken.objects.exists()


def test_missing_fields_are_field_errors(api):
    response = api.post(TOKEN_URL, {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"email", "password"} and errors["password"] == ["This field is required."]


def test_no_or_bad_token_is_401_with_the_bearer_scheme(api, member):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"
    assert bearer(api, "pit_forged").get("/api/v1/me/").status_code == 401


def test_expired_token_is_refused(api, member):
    raw = sign_in(api, member).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(api, raw).get("/api/v1/me/")
    assert response.status_code == 401 and "Sign in again" in response.json()["message"]


def test_sign_out_revokes_only_this_device(api, member):
    phone = sign_in(api, member, "Phone").json()["token"]
    tablet = sign_in(api, member, "Tablet").json()["token"]
    assert bearer(api, phone).delete(TOKEN_URL).status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    assert bearer(api, tablet).get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.get(device_name="Phone").revoked_at is not None
    assert AuditLog.objects.filter(action="TOKEN_REVOKED", after_state__reason="signed out").count() == 1


def test_a_stale_token_does_not_stop_signing_in_again(api, member):
    raw = sign_in(api, member).json()["token"]
    ApiToken.objects.update(revoked_at=timezone.now())
    assert sign_in(bearer(api, raw), member).status_code == 201


def test_sessions_page_lists_devices_and_revokes_them(api, member):
    raw = sign_in(api, member, "Field tablet").json()["token"]
    browser = Client()
    browser.force_login(member)
    page = browser.get("/accounts/sessions/").content.decode()
    assert "Field tablet" in page and ApiToken.objects.get().prefix in page
    token = ApiToken.objects.get()
    page = browser.post(f"/accounts/sessions/tokens/{token.pk}/revoke/", follow=True).content.decode()
    assert "That device is signed out." in page and "Field tablet" not in page
    assert bearer(api, raw).get("/api/v1/me/").status_code == 401


def test_cannot_revoke_someone_elses_device(api, member, manager):
    sign_in(api, manager, "Manager phone")
    browser = Client()
    browser.force_login(member)
    token = ApiToken.objects.get()
    page = browser.post(f"/accounts/sessions/tokens/{token.pk}/revoke/", follow=True).content.decode()
    assert "not one of your signed-in devices" in page
    token.refresh_from_db()
    assert token.revoked_at is None


def test_new_password_and_deactivation_sign_devices_out(api, member, manager):
    member_token = sign_in(api, member).json()["token"]
    manager_token = sign_in(api, manager).json()["token"]
    browser = Client()
    browser.force_login(member)
    browser.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert bearer(api, member_token).get("/api/v1/me/").status_code == 401
    assert AuditLog.objects.filter(action="TOKEN_REVOKED", after_state__reason="password changed").exists()
    manager.is_active = False
    manager.save()
    assert bearer(api, manager_token).get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_inactive_or_system_accounts_cannot_sign_in(api, member, org):
    member.is_active = False
    member.save()
    assert sign_in(api, member).status_code == 401
    system = org.users.get(is_system=True)
    system.set_password(PASSWORD)
    system.save()
    assert sign_in(api, system).status_code == 401


def test_sign_in_is_throttled_per_email(api, member, settings):
    settings.AXES_FAILURE_LIMIT = 50  # the throttle, before the lockout (tested below)
    for _ in range(10):
        assert sign_in(api, member, password="wrong").status_code == 401
    response = sign_in(api, member)  # even the right password waits now
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0
    assert not ApiToken.objects.exists()


def test_repeated_wrong_passwords_lock_the_account_on_the_token_endpoint_too(api, member, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert sign_in(api, member, password="wrong").status_code == 401
    assert sign_in(api, member, password="wrong").status_code == 429  # the third failure locks
    locked = sign_in(api, member)  # even the right password is refused while locked
    assert locked.status_code == 429 and locked.json()["code"] == "locked"
    assert "Too many failed sign-ins" in locked.json()["message"] and not ApiToken.objects.exists()


def test_session_auth_works_for_the_browser_with_csrf(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    assert browser.get("/api/v1/me/").json()["id"] == member.pk
    response = browser.delete(TOKEN_URL)  # an unsafe method without a CSRF token
    assert response.status_code == 403 and "CSRF" in response.json()["message"]


def test_old_idempotency_keys_are_purged_hourly(member):
    from accounts.models import IdempotencyKey
    from accounts.tasks import purge_idempotency_keys_task

    old = IdempotencyKey.objects.create(user=member, key="old", method="POST", path="/api/v1/tasks/", fingerprint="x")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyKey.objects.create(user=member, key="new", method="POST", path="/api/v1/tasks/", fingerprint="y")
    assert purge_idempotency_keys_task() | {"job_run": None} == {"job_run": None, "deleted": 1}
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert purge_idempotency_keys_task()["deleted"] == 0


def test_sign_in_is_throttled_per_address_whatever_x_forwarded_for_says(api, member, monkeypatch):
    from accounts.api.throttles import SignInByAddress

    monkeypatch.setattr(SignInByAddress, "rate", "3/min", raising=False)  # the setting says 60/min
    for n in range(3):
        response = api.post(TOKEN_URL, {"email": f"guess{n}@example.com", "password": "x"}, format="json",
                            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")  # fmt: skip
        assert response.status_code == 401
    assert sign_in(api, member).status_code == 429


def test_a_rehash_on_sign_in_keeps_devices_signed_in(api, member, settings):
    raw = sign_in(api, member).json()["token"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    assert sign_in(api, member).status_code == 201  # the MD5 hash is upgraded to PBKDF2 on this sign-in
    member.refresh_from_db()
    assert member.password.startswith("pbkdf2_")
    assert bearer(api, raw).get("/api/v1/me/").status_code == 200


def test_sessions_page_queries_do_not_grow_with_devices(client, count_queries, member):
    from accounts import services

    client.force_login(member)
    services.issue_token(user=member, device_name="Phone 0")
    count_queries("/accounts/sessions/")
    few = count_queries("/accounts/sessions/")
    for n in range(1, 8):
        services.issue_token(user=member, device_name=f"Phone {n}")
    assert count_queries("/accounts/sessions/") == few
    assert "Phone 7" in client.get("/accounts/sessions/").content.decode()


def test_writes_with_a_token_are_attributed_to_its_person(api, member, org):
    from projects.models import Task
    from projects.tests.factories import task_in

    task = task_in(org, member)
    raw = sign_in(api, member, "Site phone").json()["token"]
    response = bearer(api, raw).post(f"/api/v1/tasks/{task.pk}/progress/", {"progress_percent": 35}, format="json",
                                     HTTP_USER_AGENT="PIT mobile/1.0")  # fmt: skip
    assert response.status_code == 200
    audit = AuditLog.objects.get(table_name="task", record_id=str(task.pk), action="UPDATE")
    assert audit.user_id == member.pk and audit.user_agent == "PIT mobile/1.0"
    assert Task.history.filter(id=task.pk).latest("history_date").history_user_id == member.pk
