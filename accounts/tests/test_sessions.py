import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import UserSession
from accounts.tests.factories import PASSWORD, UserFactory
from pit.models import AuditLog

pytestmark = pytest.mark.django_db


def signed_in(user, agent):
    client = Client(HTTP_USER_AGENT=agent)
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    return client


def test_sessions_page_lists_each_device(member):
    laptop = signed_in(member, "Laptop Firefox")
    signed_in(member, "Phone Safari")
    body = laptop.get("/accounts/sessions/").content.decode()
    assert "Laptop Firefox" in body and "Phone Safari" in body
    assert body.count("This session") == 1


def test_revoking_a_session_signs_that_device_out(member):
    laptop = signed_in(member, "Laptop Firefox")
    phone = signed_in(member, "Phone Safari")
    phone_row = UserSession.objects.get(user_agent="Phone Safari")
    response = laptop.post(f"/accounts/sessions/{phone_row.pk}/revoke/", follow=True)
    assert "That session is signed out." in response.content.decode()
    assert phone.get("/").status_code == 302  # the phone must sign in again
    assert laptop.get("/").status_code == 200
    assert not Session.objects.filter(session_key=phone_row.session_key).exists()
    assert AuditLog.objects.filter(action="SESSION_REVOKED", record_id=str(phone_row.pk)).exists()
    assert "Phone Safari" not in laptop.get("/accounts/sessions/").content.decode()


def test_cannot_revoke_someone_elses_session(member):
    other = UserFactory(org=member.org)
    theirs = signed_in(other, "Their browser")
    mine = signed_in(member, "My browser")
    row = UserSession.objects.get(user=other)
    response = mine.post(f"/accounts/sessions/{row.pk}/revoke/", follow=True)
    assert "not one of your active sessions" in response.content.decode()
    assert theirs.get("/").status_code == 200
    row.refresh_from_db()
    assert row.revoked_at is None


def test_sign_out_all_other_sessions_keeps_this_one(member):
    devices = [signed_in(member, f"Device {i}") for i in range(3)]
    response = devices[0].post("/accounts/sessions/revoke-others/", follow=True)
    assert "Signed out 2 other sessions." in response.content.decode()
    assert [d.get("/").status_code for d in devices] == [200, 302, 302]


def test_revoking_needs_post(member):
    laptop = signed_in(member, "Laptop")
    row = UserSession.objects.get(user=member)
    assert laptop.get(f"/accounts/sessions/{row.pk}/revoke/").status_code == 405
