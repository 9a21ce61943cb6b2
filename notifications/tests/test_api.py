"""The notifications API: your inbox (newest first, unread filter, count, mark read), push devices; someone
else's notification or device is a 404; bad input is a JSON 400 that changes nothing; constant query counts."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.models import Device, Notification
from notifications.services import notify
from pit.enums import NotificationType
from pit.models import AuditLog

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"
INTERNAL = NotificationType.INTERNAL_MESSAGE


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def inbox(member, task):
    first = notify("task_assigned", [member], task).get(type=INTERNAL)
    second = notify("mentioned", [member], task, message="look").get(type=INTERNAL)
    hour_ago = timezone.now() - datetime.timedelta(hours=1)  # before the sync overlap
    Notification.objects.filter(pk=second.pk).update(created_at=hour_ago)
    Notification.objects.filter(pk=first.pk).update(created_at=hour_ago.replace(year=2025))
    return first, second


def test_lists_mine_newest_first_with_an_unread_filter(api, member, inbox, org):
    first, second = inbox
    notify("task_assigned", [UserFactory(org=org)], first)  # someone else's
    api.force_authenticate(member)
    assert [row["id"] for row in api.get(URL).json()["results"]] == [second.pk, first.pk]
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now(), is_read=True)
    assert [row["id"] for row in api.get(f"{URL}?unread=true").json()["results"]] == [second.pk]
    assert [row["id"] for row in api.get(f"{URL}?unread=false").json()["results"]] == [first.pk]
    assert api.get(f"{URL}unread-count/").json() == {"unread": 1}


def test_mark_one_and_all_read(api, member, inbox):
    first, second = inbox
    api.force_authenticate(member)
    response = api.post(f"{URL}{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True and response.json()["read_at"]
    assert AuditLog.objects.filter(action="NOTIFICATION_READ", record_id=str(first.pk)).exists()
    assert api.get(f"{URL}unread-count/").json() == {"unread": 1}
    assert api.post(f"{URL}read-all/").json() == {"marked": 1}
    assert not Notification.objects.filter(user=member, type=INTERNAL, read_at__isnull=True).exists()
    assert api.post(f"{URL}read-all/").json() == {"marked": 0}


def test_sync_and_etags(api, member, inbox):
    first, second = inbox
    api.force_authenticate(member)
    listing = api.get(URL)
    since = listing.json()["server_time"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    assert api.get(f"{URL}?updated_since={since}").json()["results"] == []
    api.post(f"{URL}{first.pk}/read/")
    changed = api.get(f"{URL}?updated_since={since}").json()
    assert [row["id"] for row in changed["results"]] == [first.pk] and changed["deleted"] == []
    one = api.get(f"{URL}{second.pk}/")
    assert api.get(f"{URL}{second.pk}/", HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 304


def test_someone_elses_notification_is_a_404(api, member, inbox, org, other_org):
    first, _ = inbox
    for stranger in (UserFactory(org=org), UserFactory(org=other_org)):
        api.force_authenticate(stranger)
        assert api.get(f"{URL}{first.pk}/").status_code == 404
        response = api.post(f"{URL}{first.pk}/read/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert api.get(URL).json()["results"] == []
        assert api.post(f"{URL}read-all/").json() == {"marked": 0}
    first.refresh_from_db()
    assert first.read_at is None


def test_query_counts_do_not_grow(api, member, task, own_queries):
    api.force_authenticate(member)
    notify("task_assigned", [member], task)
    few = own_queries(api, URL)
    for _ in range(5):
        notify("mentioned", [member], task)
    assert own_queries(api, URL) == few
    assert own_queries(api, f"{URL}unread-count/") == 1


def test_device_registration_and_removal(api, member, other_org):
    api.force_authenticate(member)
    body = {"platform": "android", "token": "fcm-token-1", "name": "Mia's phone"}
    response = api.post("/api/v1/devices/", body, format="json")
    assert response.status_code == 201 and response.json()["name"] == "Mia's phone"
    device = Device.objects.get(user=member)
    assert response.json()["id"] == device.pk and device.token == "fcm-token-1"
    assert api.post("/api/v1/devices/", body, format="json").json()["id"] == device.pk  # same token, same device
    api.force_authenticate(UserFactory(org=other_org))
    assert api.delete(f"/api/v1/devices/{device.pk}/").status_code == 404
    assert api.delete("/api/v1/devices/-5/").json()["code"] == "not_found"
    api.force_authenticate(member)
    assert api.delete(f"/api/v1/devices/{device.pk}/").status_code == 204
    device.refresh_from_db()
    assert device.retired_at is not None
    assert api.delete(f"/api/v1/devices/{device.pk}/").status_code == 404
    assert api.delete("/api/v1/devices/-5/").json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"platform": "nokia", "token": "x"}, "platform"),
        ({"platform": "ios", "token": ""}, "token"),
        ({"platform": "web", "token": "not a subscription"}, "token"),
    ],
)
def test_bad_device_input_is_a_json_400_and_registers_nothing(api, member, body, field):
    api.force_authenticate(member)
    response = api.post("/api/v1/devices/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert not Device.objects.exists()


def test_idempotent_device_registration(api, member):
    api.force_authenticate(member)
    body = {"platform": "ios", "token": "apns-1"}
    first = api.post("/api/v1/devices/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post("/api/v1/devices/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.content == first.content and again["Idempotent-Replayed"] == "true"
    assert AuditLog.objects.filter(action__startswith="DEVICE_").count() == 1
