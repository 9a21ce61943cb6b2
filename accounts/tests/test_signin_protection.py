"""Sign-in protection: lockouts per account and per address, admin unlock, password rules, session id at sign-in."""

import datetime
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from accounts.lockout import lockout_response
from accounts.tests.factories import PASSWORD, UserFactory
from pit.models import AuditLog

pytestmark = pytest.mark.django_db
LOCKED = "Too many failed sign-ins for this account or from this address"


def attempt(client, email, password="wrong password", ip="10.0.0.1", **extra):
    return client.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def fail(client, email, times, ip="10.0.0.1", **extra):
    return [attempt(client, email, ip=ip, **extra).status_code for _ in range(times)]


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, member, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert fail(client, member.email, 4) == [200] * 4
    assert attempt(client, member.email, PASSWORD).status_code == 302  # below the limit the right password works
    client.post("/accounts/logout/")
    assert fail(client, member.email, 1) == [429]  # a success does not wipe the failures: the fifth locks
    response = attempt(client, member.email.upper(), PASSWORD, ip="10.9.9.9")  # any case, any address
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body and "Try again in 15 minutes" in body and 'name="password"' in body
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_after_failures_on_many_accounts(client, make_user):
    people = [make_user() for _ in range(6)]
    for person in people[:5]:
        fail(client, person.email, 1, ip="10.0.0.7")
    assert attempt(client, people[5].email, PASSWORD, ip="10.0.0.7").status_code == 429
    assert attempt(client, people[5].email, PASSWORD, ip="10.0.0.8").status_code == 302


def test_signing_in_to_one_account_does_not_wash_away_failures_on_others(client, make_user):
    insider, victim = make_user(), make_user()
    fail(client, victim.email, 4, ip="10.0.0.9")
    assert attempt(client, insider.email, PASSWORD, ip="10.0.0.9").status_code == 302
    client.post("/accounts/logout/")
    assert attempt(client, victim.email, ip="10.0.0.9").status_code == 429


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_lockout(client, make_user):
    people = [make_user() for _ in range(6)]
    for n, person in enumerate(people[:5]):
        fail(client, person.email, 1, ip="10.0.0.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = attempt(client, people[5].email, PASSWORD, ip="10.0.0.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_lockout_ends_after_the_cool_off(client, member):
    fail(client, member.email, 5)
    assert attempt(client, member.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(client, member.email, PASSWORD).status_code == 302


def test_every_authenticate_call_with_a_request_is_counted(member):
    """The API's token endpoint authenticates with the request: it is throttled the same way."""
    factory = RequestFactory()

    def api_request():  # as DRF's token serializer passes it: the Django request wrapped in DRF's
        body = {"username": member.email, "password": "sent"}
        wsgi = factory.post("/api/v1/auth/token/", body, content_type="application/json", REMOTE_ADDR="10.0.0.3")
        return Request(wsgi, parsers=[JSONParser()])

    assert authenticate(request=api_request(), username=member.email, password=PASSWORD) == member
    for _ in range(5):
        assert authenticate(request=api_request(), username=member.email, password="wrong") is None
    assert authenticate(request=api_request(), username=member.email, password=PASSWORD) is None
    # the refused attempt during the lockout counts too, and restarts the cool-off
    assert AccessAttempt.objects.get(username=member.email.lower()).failures_since_start == 6


def test_org_admin_sees_and_unlocks_their_own_people_only(client, member, org_admin, other_org):
    outsider = UserFactory(org=other_org, email="outsider@inland.example")
    fail(Client(), member.email, 5)
    fail(Client(), outsider.email, 5, ip="10.0.0.2")
    client.force_login(org_admin)
    listing = client.get("/admin/axes/accessattempt/").content.decode()
    assert member.email.lower() in listing and outsider.email not in listing

    mine = AccessAttempt.objects.get(username=member.email.lower())
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [mine.pk, AccessAttempt.objects.get(username=outsider.email).pk]},
        follow=True,
    )
    assert "Unlocked 1 sign-in record." in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [outsider.email]
    entry = AuditLog.objects.get(action="SIGN_IN_UNLOCKED")
    assert entry.user == org_admin and entry.before_state["username"] == member.email.lower()
    assert attempt(Client(), member.email, PASSWORD).status_code == 302


def test_members_cannot_open_the_lockout_admin(member_client):
    assert member_client.get("/admin/axes/accessattempt/").status_code in (302, 403)


def test_weak_passwords_are_refused(client, member):
    client.force_login(member)
    for weak, reason in [("password", "too common"), ("8412093317", "entirely numeric"), ("Ab1!", "too short")]:
        response = client.post(
            "/accounts/password/change/",
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert reason in response.content.decode(), weak
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_sign_in_gives_a_new_session_id(client, member):
    session = client.session
    session["before_sign_in"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    attempt(client, member.email, PASSWORD)
    assert client.session.session_key != session.session_key
    assert not client.session.exists(session.session_key)  # the old id is dead, not merely unused


def test_session_cookie_is_http_only_and_same_site(client, member, settings):
    response = attempt(client, member.email, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.SESSION_ABSOLUTE_TIMEOUT


def test_api_clients_are_told_in_json(member):
    request = RequestFactory().post("/api/v1/auth/token/", {"username": member.email})
    response = lockout_response(request, credentials={"username": member.email})
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert "Too many failed sign-ins" in json.loads(response.content)["message"]
