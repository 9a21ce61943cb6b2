"""Offline sync over the projects API: updated_since with tombstones and server_time, ETag → 304, If-Match → 412
with nothing changed, and Idempotency-Key replays that write once."""

import datetime

import pytest
from django.utils import timezone

from pit.models import AuditLog
from projects import jobs, services
from projects.models import Deliverable, Task
from projects.tests.factories import DeliverableFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
SINCE = "2026-06-01T00:00:00Z"


@pytest.fixture
def tasks(org, member, manager):
    deliverable = DeliverableFactory(milestone__project=ProjectFactory(org=org, owner=manager))
    made = [TaskFactory(deliverable=deliverable, owner=member, name=name) for name in ("Dig", "Pour", "Cure")]
    for model in (Task, Deliverable):
        model.all_objects.update(updated_at=LONG_AGO)  # as if the phone synced after these were last changed
    return made


def test_updated_since_returns_changes_tombstones_and_the_time_to_use_next(api, member, manager, tasks):
    dig, pour, cure = tasks
    api.force_authenticate(member)
    quiet = api.get(f"/api/v1/tasks/?updated_since={SINCE}").json()
    assert quiet["results"] == [] and quiet["deleted"] == []
    api.post(f"/api/v1/tasks/{dig.pk}/progress/", {"progress_percent": 40}, format="json")
    api.force_authenticate(manager)
    api.delete(f"/api/v1/tasks/{pour.pk}/")
    before = timezone.now()
    body = api.get(f"/api/v1/tasks/?updated_since={SINCE}").json()
    assert [row["id"] for row in body["results"]] == [dig.pk]
    assert [row["id"] for row in body["deleted"]] == [pour.pk]
    server_time = datetime.datetime.fromisoformat(body["server_time"].replace("Z", "+00:00"))
    assert server_time <= before  # a little in the past: late commits are not missed
    # the deliverable's progress rolled up: it is part of the change set too
    deliverables = api.get(f"/api/v1/deliverables/?updated_since={SINCE}").json()["results"]
    assert [row["id"] for row in deliverables] == [dig.deliverable_id] and deliverables[0]["progress_percent"] > 0
    assert cure.pk not in [row["id"] for row in body["results"]]


def test_restored_and_reordered_rows_come_back_in_sync(api, member, manager, tasks):
    dig, pour, cure = tasks
    services.soft_delete(actor=manager, obj=pour)
    Task.all_objects.filter(pk=pour.pk).update(updated_at=LONG_AGO)
    services.restore(actor=manager, obj=Task.all_objects.get(pk=pour.pk))
    Task.objects.filter(pk=dig.pk).update(order_index=5, updated_at=LONG_AGO)
    services.move(actor=manager, obj=cure, offset=-1)  # renumbers the siblings: dig's order index moves
    api.force_authenticate(member)
    rows = api.get(f"/api/v1/tasks/?updated_since={SINCE}").json()["results"]
    assert {row["id"]: row["order_index"] for row in rows} == {pour.pk: 1, dig.pk: 2}


def test_the_nightly_status_engine_shows_in_sync(api, member, org, tasks):
    dig, _, _ = tasks
    jobs.recompute_statuses(orgs=[org])  # settle every status, then only dig's falls behind
    Task.objects.update(updated_at=LONG_AGO)
    Task.objects.filter(pk=dig.pk).update(status="active")
    jobs.recompute_statuses(orgs=[org])
    api.force_authenticate(member)
    rows = api.get(f"/api/v1/tasks/?updated_since={SINCE}").json()["results"]
    assert [(row["id"], row["status"]) for row in rows] == [(dig.pk, "overdue")]


@pytest.mark.parametrize("value", ["yesterday", "2026-13-45T00:00:00Z", ""])
def test_a_malformed_updated_since_is_a_400(api, member, value):
    api.force_authenticate(member)
    response = api.get(f"/api/v1/tasks/?updated_since={value}")
    assert response.status_code == 400 and "ISO 8601" in response.json()["errors"]["updated_since"][0]


def test_unchanged_lists_and_objects_answer_304(api, member, tasks):
    dig, _, _ = tasks
    api.force_authenticate(member)
    for url in ("/api/v1/tasks/", f"/api/v1/tasks/{dig.pk}/", "/api/v1/my-work/", "/api/v1/me/"):
        first = api.get(url)
        assert first.status_code == 200 and first["ETag"], url
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and not again.content, url
    etag = api.get("/api/v1/tasks/")["ETag"]
    object_etag = api.get(f"/api/v1/tasks/{dig.pk}/")["ETag"]
    api.post(f"/api/v1/tasks/{dig.pk}/progress/", {"progress_percent": 30}, format="json")
    assert api.get("/api/v1/tasks/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    changed = api.get(f"/api/v1/tasks/{dig.pk}/", HTTP_IF_NONE_MATCH=object_etag)
    assert changed.status_code == 200 and changed["ETag"] != object_etag


def test_a_stale_if_match_is_a_412_and_changes_nothing(api, member, manager, tasks):
    dig, _, _ = tasks
    api.force_authenticate(manager)
    read = api.get(f"/api/v1/tasks/{dig.pk}/")["ETag"]
    api.force_authenticate(member)  # meanwhile, on another device
    moved = api.post(f"/api/v1/tasks/{dig.pk}/progress/", {"progress_percent": 20}, format="json")
    assert moved["ETag"] != read
    api.force_authenticate(manager)
    audits = AuditLog.objects.count()
    for response in (
        api.patch(f"/api/v1/tasks/{dig.pk}/", {"name": "Dig deeper"}, format="json", HTTP_IF_MATCH=read),
        api.post(f"/api/v1/tasks/{dig.pk}/progress/", {"progress_percent": 90}, format="json", HTTP_IF_MATCH=read),
        api.delete(f"/api/v1/tasks/{dig.pk}/", HTTP_IF_MATCH=read),
    ):
        assert response.status_code == 412 and response.json()["code"] == "precondition_failed"
    task = Task.objects.get(pk=dig.pk)
    assert (task.name, task.progress_percent, task.deleted_at) == ("Dig", 20, None)
    assert AuditLog.objects.count() == audits
    fresh = api.patch(f"/api/v1/tasks/{dig.pk}/", {"name": "Dig deeper"}, format="json", HTTP_IF_MATCH=moved["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] not in (read, moved["ETag"])
    assert api.get(f"/api/v1/tasks/{dig.pk}/")["ETag"] == fresh["ETag"]


def test_a_retried_create_returns_the_first_answer_and_writes_once(api, manager, tasks):
    deliverable = tasks[0].deliverable
    api.force_authenticate(manager)
    body = {"deliverable": deliverable.pk, "name": "Inspect", "start_date": str(deliverable.start_date),
            "end_date": str(deliverable.start_date)}  # fmt: skip
    first = api.post("/api/v1/tasks/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42-create")
    retry = api.post("/api/v1/tasks/", body, format="json", HTTP_IDEMPOTENCY_KEY="phone-42-create")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true" and retry["ETag"] == first["ETag"]
    assert Task.objects.filter(name="Inspect").count() == 1
    assert AuditLog.objects.filter(table_name="task", action="CREATE").count() == 1
    reused = api.post("/api/v1/tasks/", body | {"name": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="phone-42-create")
    assert reused.status_code == 422 and "different request" in reused.json()["message"]
    assert not Task.objects.filter(name="Other").exists()


def test_a_retried_change_is_not_applied_again(api, member, manager, tasks):
    dig, _, _ = tasks
    api.force_authenticate(member)
    url = f"/api/v1/tasks/{dig.pk}/progress/"
    first = api.post(url, {"progress_percent": 60}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    services.set_task_progress(actor=manager, task=dig, progress_percent=70)  # someone else, after the first
    retry = api.post(url, {"progress_percent": 60}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert retry.json()["progress_percent"] == 60 == first.json()["progress_percent"]
    assert Task.objects.get(pk=dig.pk).progress_percent == 70  # the retry did not write again


def test_failed_requests_are_not_remembered_and_keys_are_per_person(api, member, manager, tasks):
    dig, _, _ = tasks
    url = f"/api/v1/tasks/{dig.pk}/progress/"
    api.force_authenticate(member)
    bad = api.post(url, {"progress_percent": 500}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert bad.status_code == 400
    good = api.post(url, {"progress_percent": 50}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert good.status_code == 200 and "Idempotent-Replayed" not in good
    api.force_authenticate(manager)
    theirs = api.post(url, {"progress_percent": 55}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert theirs.status_code == 200 and theirs.json()["progress_percent"] == 55
    too_long = api.post(url, {"progress_percent": 5}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert too_long.status_code == 400 and "Idempotency-Key" in too_long.json()["errors"]


def test_a_key_past_its_window_is_a_new_request(api, member, tasks):
    from accounts.models import IdempotencyKey

    dig, _, _ = tasks
    api.force_authenticate(member)
    url = f"/api/v1/tasks/{dig.pk}/progress/"
    api.post(url, {"progress_percent": 10}, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = api.post(url, {"progress_percent": 20}, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert again.status_code == 200 and again.json()["progress_percent"] == 20


def test_form_uploads_with_a_key_are_fingerprinted_by_their_content(api, member, tasks):
    """The extension point for evidence uploads: a multipart body larger than Django keeps in memory is hashed in
    chunks (no 413), and a retry of it is replayed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    dig, _, _ = tasks
    api.force_authenticate(member)
    url = f"/api/v1/tasks/{dig.pk}/progress/"

    def send(progress, content):
        photo = SimpleUploadedFile("site.jpg", content, content_type="image/jpeg")
        return api.post(url, {"progress_percent": progress, "photo": photo}, format="multipart",
                        HTTP_IDEMPOTENCY_KEY="upload-1")  # fmt: skip

    big = b"\xff\xd8" + b"x" * (3 * 1024 * 1024)
    first = send(30, big)
    assert first.status_code == 200
    assert send(30, big)["Idempotent-Replayed"] == "true"
    assert send(30, big[:-1] + b"y").status_code == 422  # same key, another file


def test_odd_but_valid_times_and_mangled_cursors(api, member, tasks):
    api.force_authenticate(member)
    far_offset = api.get("/api/v1/tasks/?updated_since=2026-06-01T02:59:44%2B20:54")  # PostgreSQL allows ±15:59
    assert far_offset.status_code == 200 and len(far_offset.json()["results"]) == 0
    mangled = api.get("/api/v1/tasks/?cursor=not-a-cursor")
    assert mangled.status_code == 400 and "next or previous link" in mangled.json()["errors"]["cursor"][0]
