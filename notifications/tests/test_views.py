import json

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from notifications.models import Notification, Preference
from notifications.selectors import PAGE_SIZE
from notifications.services import notify
from pit.models import AuditLog
from projects.tests.factories import task_in


@pytest.fixture
def told(task, member):
    notify("task_assigned", [member], task)
    return Notification.objects.get(user=member, type="internal_message")


def test_the_bell_shows_the_unread_count_on_every_page(member_client, told):
    page = member_client.get("/my-work/").content.decode()
    assert 'aria-label="Notifications: 1 unread"' in page
    assert '<span class="bell-count" data-role="unread">1</span>' in page


def test_the_inbox_lists_notifications_linking_to_their_object(member_client, told, task):
    page = member_client.get("/notifications/").content.decode()
    assert "Task assigned to you: Pour the slab" in page
    assert f'formaction="/notifications/{told.pk}/open/"' in page
    assert "unread" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(member_client, told, task, member):
    response = member_client.post(f"/notifications/{told.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    told.refresh_from_db()
    assert told.is_read and told.read_at is not None
    assert AuditLog.objects.filter(action="NOTIFICATION_READ", record_id=str(told.pk), user=member).exists()


def test_opening_never_leaves_pit(member_client, member):
    outside = Notification.objects.create(user=member, event="mentioned", title="Odd", link="//evil.example/")
    response = member_client.post(f"/notifications/{outside.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_one_and_mark_all_read(member_client, member, org, manager):
    tasks = [task_in(org, manager, name=f"Job {i}") for i in range(3)]
    for t in tasks:
        notify("task_assigned", [member], t)
    first = Notification.objects.filter(user=member, type="internal_message").order_by("pk").first()
    member_client.post(f"/notifications/{first.pk}/read/")
    assert Notification.objects.filter(user=member, type="internal_message", read_at__isnull=True).count() == 2
    page = member_client.get("/notifications/?show=unread").content.decode().split('<ul class="inbox">')[1]
    assert "Job 0" not in page and "Job 1" in page and "Job 2" in page
    response = member_client.post("/notifications/read-all/", follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(user=member, type="internal_message", read_at__isnull=True).exists()
    assert "Nothing unread." in member_client.get("/notifications/?show=unread").content.decode()


def test_the_empty_inbox_says_what_arrives_here(member_client):
    page = member_client.get("/notifications/").content.decode()
    assert "No notifications yet." in page and "/notifications/settings/" in page


def test_the_inbox_is_paginated_newest_first(member_client, member, org, manager):
    task = task_in(org, manager, name="Many")
    Notification.objects.bulk_create(
        Notification(user=member, event="mentioned", title=f"Note {i:02d}") for i in range(PAGE_SIZE + 2)
    )
    first = member_client.get("/notifications/").content.decode()
    assert "Note 26" in first and "Note 01" not in first and 'rel="next"' in first
    second = member_client.get("/notifications/?page=2").content.decode()
    assert "Note 01" in second and "Note 00" in second and "Note 26" not in second and 'rel="prev"' in second
    assert task  # the subject exists; the notes need none


def test_another_persons_or_organisations_notification_is_a_404(client, told, make_user, other_org):
    colleague = make_user(name="Col League")
    stranger = UserFactory(org=other_org)
    for person in (colleague, stranger):
        client.force_login(person)
        for url in (f"/notifications/{told.pk}/read/", f"/notifications/{told.pk}/open/"):
            assert client.post(url).status_code == 404
    told.refresh_from_db()
    assert told.read_at is None


def test_changing_state_needs_post(member_client, told):
    assert member_client.get(f"/notifications/{told.pk}/read/").status_code == 405
    assert member_client.get("/notifications/read-all/").status_code == 405


def test_settings_page_saves_choices_only_where_they_differ_from_the_default(member_client, member, org):
    page = member_client.get("/notifications/settings/").content.decode()
    assert (
        "A task is assigned to you" in page
        and "Email" in page
        and "Push" not in page.split("<table")[1].split("</table>")[0]
    )
    data = {
        f"{event}__{channel}": "on"
        for event in ["task_assigned", "task_overdue"]
        for channel in ["internal_message", "email"]
    }
    data["digest__email"] = "on"
    response = member_client.post("/notifications/settings/", data)
    assert response.status_code == 302
    stored = set(Preference.objects.filter(user=member).values_list("event", "channel", "enabled"))
    assert ("task_assigned", "email", True) not in stored  # the built-in default already says so
    assert ("decision_decided", "email", False) in stored and ("decision_decided", "internal_message", False) in stored
    notify("task_assigned", [member], task_in(org, UserFactory(org=org), name="Digest me"))
    assert set(Notification.objects.filter(user=member).values_list("type", "delivery")) == {
        ("internal_message", "sent"),
        ("email", "held"),
    }


def test_organisation_defaults_are_for_org_admins(member_client, client, org_admin, member, org, task):
    assert member_client.get("/notifications/settings/organisation/").status_code == 403
    client.force_login(org_admin)
    data = {f"{event}__internal_message": "on" for event in ["task_assigned"]}
    assert client.post("/notifications/settings/organisation/", data).status_code == 302
    assert Preference.objects.filter(org=org, user=None, event="task_assigned", channel="email", enabled=False).exists()
    notify("task_assigned", [member], task)
    assert list(Notification.objects.filter(user=member).values_list("type", flat=True)) == ["internal_message"]


def test_bad_quiet_hours_are_refused_with_a_message(member_client, member, settings):
    from notifications import push

    settings.WEBPUSH_VAPID_PRIVATE_KEY = "configured"
    push.reset()
    response = member_client.post("/notifications/settings/", {"quiet_start": "22:00"})
    assert response.status_code == 400
    assert "Give quiet hours both a start and an end" in response.content.decode()
    assert not Preference.objects.filter(user=member).exists()


def test_register_a_browser_for_push(member_client, member):
    url = reverse("notifications:register_device")
    subscription = {"endpoint": "http://127.0.0.1:9/push/abc", "keys": {"p256dh": "k", "auth": "a"}}
    response = member_client.post(url, {"platform": "web", "token": subscription}, content_type="application/json")
    assert response.status_code == 201
    device = member.devices.get()
    assert device.platform == "web" and json.loads(device.token)["endpoint"] == "http://127.0.0.1:9/push/abc"
    reordered = {"keys": {"auth": "a", "p256dh": "k"}, "endpoint": "http://127.0.0.1:9/push/abc"}
    again = member_client.post(url, {"platform": "web", "token": reordered}, content_type="application/json")
    assert again.status_code == 201 and again.json()["device"] == device.pk  # the same subscription, one device
    bad = member_client.post(url, {"platform": "fax", "token": "x"}, content_type="application/json")
    assert bad.status_code == 400 and "unknown platform 'fax'" in bad.json()["message"]
    no_keys = member_client.post(url, {"platform": "web", "token": {"endpoint": "x"}}, content_type="application/json")
    assert no_keys.status_code == 400 and "JSON with endpoint and keys" in no_keys.json()["message"]
    assert member_client.post(url, "not json", content_type="application/json").status_code == 400
    assert member.devices.count() == 1


def test_page_query_counts_do_not_grow_with_the_data(member_client, member, org, manager, count_queries):
    pages = ["/notifications/", "/notifications/?show=unread", "/notifications/settings/", "/my-work/"]
    notify("task_assigned", [member], task_in(org, manager, name="First"))
    for url in pages:
        count_queries(url)  # warm per-process caches
    small = {url: count_queries(url) for url in pages}
    for i in range(30):
        notify("task_assigned", [member], task_in(org, manager, name=f"More {i}"))
    Preference.objects.create(org=org, user=member, event="mentioned", channel="email", enabled=False)
    large = {url: count_queries(url) for url in pages}
    assert small == large
    assert large["/notifications/"] <= 6


def test_organisation_defaults_page_query_count_does_not_grow(client, org_admin, org, make_user, count_queries):
    client.force_login(org_admin)
    url = "/notifications/settings/organisation/"
    count_queries(url)
    small = count_queries(url)
    for i in range(20):
        person = make_user(name=f"Chooser {i}")
        Preference.objects.create(org=org, user=person, event="mentioned", channel="email", enabled=False)
    Preference.objects.create(org=org, event="task_overdue", channel="email", enabled=False)
    page = client.get(url).content.decode()
    assert "Organisation notification defaults" in page and "Defaults for everyone in Harbour Water" in page
    assert count_queries(url) == small
