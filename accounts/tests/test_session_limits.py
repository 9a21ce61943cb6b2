"""Idle and absolute session limits; every session ends on a password change or reset and on deactivation."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts import services
from accounts.models import ApiToken, UserSession
from accounts.tests.factories import PASSWORD
from pit.models import AuditLog

pytestmark = pytest.mark.django_db
NEW = "A-new-passphrase-9"


def signed_in(user, agent="Browser"):
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    return client


def age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_idle_session_is_signed_out_with_a_reason(member, settings):
    client = signed_in(member)
    age_session(client, _pit_seen=settings.SESSION_IDLE_TIMEOUT + 120)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "signed out after a while without activity" in response.content.decode()
    assert UserSession.objects.get(user=member).revoked_at is not None
    assert AuditLog.objects.get(action="SESSION_EXPIRED").after_state == {"reason": "idle"}


def test_busy_session_still_ends_at_the_absolute_limit(member, settings):
    client = signed_in(member)
    age_session(client, _pit_signed_in=settings.SESSION_ABSOLUTE_TIMEOUT + 1, _pit_seen=10)
    response = client.get("/", follow=True)
    assert "Your session reached its time limit" in response.content.decode()
    assert AuditLog.objects.get(action="SESSION_EXPIRED").after_state == {"reason": "absolute"}


def test_session_within_its_limits_stays(member, settings):
    client = signed_in(member)
    age_session(client, _pit_signed_in=settings.SESSION_ABSOLUTE_TIMEOUT - 60, _pit_seen=settings.SESSION_IDLE_TIMEOUT)
    assert client.get("/").status_code == 200
    assert not AuditLog.objects.filter(action="SESSION_EXPIRED").exists()


def test_password_change_signs_out_every_other_device(member):
    laptop, phone = signed_in(member, "Laptop"), signed_in(member, "Phone")
    _, token = services.issue_token(user=member, device_name="Tablet")
    response = laptop.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response["Location"] == "/accounts/password/change/done/"
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    assert ApiToken.objects.get(key_hash=services.hash_token(token)).revoked_at is not None
    live = UserSession.objects.filter(user=member, revoked_at__isnull=True)
    assert list(live.values_list("user_agent", "session_key")) == [("Laptop", laptop.session.session_key)]
    phone_row = UserSession.objects.get(user_agent="Phone")
    assert not Session.objects.filter(session_key=phone_row.session_key).exists()
    assert AuditLog.objects.get(action="SESSIONS_REVOKED").after_state == {"reason": "password_changed", "sessions": 1}


def test_password_reset_signs_out_everywhere(client, member, mailoutbox):
    devices = [signed_in(member, f"Device {n}") for n in range(2)]
    client.post("/accounts/password/reset/", {"email": member.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    client.post(client.get(link)["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert [device.get("/").status_code for device in devices] == [302, 302]
    assert not UserSession.objects.filter(user=member, revoked_at__isnull=True).exists()


def test_deactivating_someone_in_admin_signs_them_out(client, member, org_admin):
    device = signed_in(member)
    client.force_login(org_admin)
    response = client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        {"email": member.email, "name": member.name, "role": member.role},  # is_active unticked
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert not member.is_active
    assert device.get("/").status_code == 302
    assert UserSession.objects.get(user=member).revoked_at is not None
    entry = AuditLog.objects.get(action="SESSIONS_REVOKED")
    assert entry.user == org_admin and entry.after_state == {"reason": "deactivated", "sessions": 1}


def test_revoke_all_sessions_keeps_the_named_one(member):
    keep, other = signed_in(member, "Keep"), signed_in(member, "Other")
    count = services.revoke_all_sessions(
        actor=member, user=member, reason="test", keep_session_key=keep.session.session_key
    )
    assert count == 1
    assert (keep.get("/").status_code, other.get("/").status_code) == (200, 302)
