import re

import pytest

from accounts.models import UserSession
from accounts.tests.factories import PASSWORD
from pit.models import AuditLog

pytestmark = pytest.mark.django_db


def login(client, email, password=PASSWORD, **headers):
    return client.post("/accounts/login/", {"username": email, "password": password}, **headers)


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_login_page_shows_the_form(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in to PIT" in body
    assert 'name="username"' in body and 'name="password"' in body


def test_login_with_email_any_case_records_session_and_audit(client, member):
    response = login(client, member.email.upper(), HTTP_USER_AGENT="Firefox/140 (Linux)")
    assert response.status_code == 302 and response["Location"] == "/"
    session = UserSession.objects.get(user=member)
    assert session.user_agent == "Firefox/140 (Linux)"
    assert session.ip_address == "127.0.0.1"
    assert session.session_key == client.session.session_key
    entry = AuditLog.objects.get(action="LOGIN")
    assert (entry.user, entry.table_name, entry.record_id) == (member, "user", str(member.pk))
    assert entry.user_agent == "Firefox/140 (Linux)"
    assert "Harbour Water" in client.get("/").content.decode()


def test_wrong_password_is_refused_with_a_message(client, member):
    response = login(client, member.email, "not the password")
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()
    assert not UserSession.objects.exists()
    assert not AuditLog.objects.filter(action="LOGIN").exists()


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user(is_active=False)
    assert login(client, user.email).status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_ends_the_session(client, member):
    login(client, member.email)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert UserSession.objects.get(user=member).revoked_at is not None
    assert AuditLog.objects.filter(action="LOGOUT", user=member).count() == 1
    assert client.get("/").status_code == 302


def test_password_change_requires_the_old_password(client, member):
    login(client, member.email)
    bad = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": "A-new-passphrase-9", "new_password2": "A-new-passphrase-9"},
    )
    assert "Your old password was entered incorrectly" in bad.content.decode()
    good = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "A-new-passphrase-9", "new_password2": "A-new-passphrase-9"},
    )
    assert good["Location"] == "/accounts/password/change/done/"
    member.refresh_from_db()
    assert member.check_password("A-new-passphrase-9")


def test_password_reset_email_link_sets_a_new_password(client, member, mailoutbox):
    client.post("/accounts/password/reset/", {"email": member.email})
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session-held one
    response = client.post(form_url, {"new_password1": "Fresh-passphrase-7", "new_password2": "Fresh-passphrase-7"})
    assert response["Location"] == "/accounts/password/reset/done/"
    member.refresh_from_db()
    assert member.check_password("Fresh-passphrase-7")


def test_password_reset_for_unknown_email_sends_nothing(client, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox == []
