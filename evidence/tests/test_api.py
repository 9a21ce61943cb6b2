"""The evidence API: upload (multipart) and new versions through evidence.services, list per task, detail, a
presigned download link after the tenancy check, the review queue and decisions; permissions, another
organisation's ids (404 or a field error), bad input that changes nothing, sync tombstones, constant query counts."""

import urllib.request

import pytest

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from evidence import samples, services
from evidence.models import Evidence
from evidence.tests.factories import evidence_task, upload_file, uploaded
from notifications.models import Notification
from pit.enums import ReviewDecision

pytestmark = pytest.mark.django_db
URL = "/api/v1/evidence/"
QUEUE = "/api/v1/reviews/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def task(org, member):
    return evidence_task(org, member, name="Repair the fence")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="Rita Reviewer")


def pdf(name="report.pdf", text="Fence report"):
    return upload_file(name, samples.pdf(text, name))


def test_upload_list_detail_and_download(api, member, task, reviewer):
    api.force_authenticate(member)
    response = api.post(URL, {"task": task.pk, "file": pdf(), "note": "Signed off"}, format="multipart")
    assert response.status_code == 201, response.json()
    row = Evidence.objects.get(task=task)
    body = response.json()
    assert body["id"] == row.pk and body["filename"] == "report.pdf" and body["note"] == "Signed off"
    assert body["review_state"] == "pending" and body["version"] == 1 and response["ETag"]
    assert Notification.objects.filter(user=reviewer, event="evidence_review_requested").exists()
    assert ids(api.get(f"{URL}?task={task.pk}")) == [row.pk]
    assert ids(api.get(f"{URL}?task={task.pk + 1000}")) == []
    assert ids(api.get(f"{URL}?review_state=pending")) == [row.pk]
    assert api.get(f"{URL}?review_state=maybe").json()["code"] == "invalid"
    assert api.get(f"{URL}{row.pk}/").json()["sha256"] == row.sha256
    link = api.get(f"{URL}{row.pk}/download/").json()
    assert link["expires_in"] > 0
    with urllib.request.urlopen(link["url"], timeout=10) as fetched:  # the embedded S3 on loopback
        assert fetched.read() == samples.pdf("Fence report", "report.pdf")


def test_new_version(api, member, task):
    first = uploaded(member, task)
    api.force_authenticate(member)
    missing = api.post(f"{URL}{first.pk}/versions/", {"file": pdf("v2.pdf", "Fixed")}, format="multipart")
    assert missing.status_code == 400 and "change_summary" in missing.json()["errors"]
    assert Evidence.objects.count() == 1
    body = {"file": pdf("v2.pdf", "Fixed"), "change_summary": "Signature added"}
    response = api.post(f"{URL}{first.pk}/versions/", body, format="multipart")
    assert response.status_code == 201 and response.json()["version"] == 2
    assert response.json()["lineage"] == str(first.lineage)
    first.refresh_from_db()
    assert first.is_current is False
    assert ids(api.get(f"{URL}?task={task.pk}&current=true")) == [response.json()["id"]]


def test_who_may_upload(api, org, task, make_user):
    viewer, stranger = make_user(Role.VIEWER), make_user(Role.MEMBER)
    for person in (viewer, stranger):  # a viewer may not upload at all; a member only to their own tasks
        api.force_authenticate(person)
        response = api.post(URL, {"task": task.pk, "file": pdf()}, format="multipart")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Evidence.objects.exists()


def test_bad_upload_input_is_a_json_400_and_stores_nothing(api, member, task, other_org):
    api.force_authenticate(member)
    foreign = evidence_task(other_org, UserFactory(org=other_org))
    cases = [
        ({"task": foreign.pk, "file": pdf()}, "task"),
        ({"task": task.pk}, "file"),
        ({"task": "abc", "file": pdf()}, "task"),
    ]
    for body, field in cases:
        response = api.post(URL, body, format="multipart")
        assert response.status_code == 400 and field in response.json()["errors"], body
    empty = api.post(URL, {"task": task.pk, "file": upload_file("empty.pdf", b"")}, format="multipart")
    assert empty.status_code == 400 and empty.json()["code"] == "invalid"
    assert api.post(URL, {"task": task.pk}, format="json").status_code == 415
    assert not Evidence.objects.exists()


def test_another_organisations_evidence_is_a_404(api, org, other_org, task, member):
    outsider = UserFactory(org=other_org)
    foreign = uploaded(outsider, evidence_task(other_org, outsider))
    api.force_authenticate(UserFactory(org=org, role=Role.MANAGER))
    for url in (f"{URL}{foreign.pk}/", f"{URL}{foreign.pk}/download/", f"{QUEUE}{foreign.pk}/"):
        response = api.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    version = api.post(f"{URL}{foreign.pk}/versions/", {"file": pdf(), "change_summary": "x"}, format="multipart")
    assert version.status_code == 404
    decide = api.post(f"{QUEUE}{foreign.pk}/decide/", {"decision": "accepted"}, format="json")
    assert decide.status_code == 404
    assert ids(api.get(URL)) == [] and ids(api.get(QUEUE)) == []
    foreign.refresh_from_db()
    assert foreign.review_state == ReviewDecision.PENDING and Evidence.objects.count() == 1


def test_review_queue_and_decide(api, member, task, reviewer):
    first = uploaded(member, task, "a.pdf")
    second = uploaded(member, task, "b.pdf", samples.pdf("Other", "b.pdf"))
    api.force_authenticate(member)
    assert api.get(QUEUE).status_code == 403
    assert api.post(f"{QUEUE}{first.pk}/decide/", {"decision": "accepted"}, format="json").status_code == 403
    api.force_authenticate(reviewer)
    queue = api.get(QUEUE).json()["results"]
    assert [row["id"] for row in queue] == [first.pk, second.pk]
    assert queue[0]["task_name"] == "Repair the fence" and queue[0]["filename"] == "a.pdf"
    refused = api.post(f"{QUEUE}{first.pk}/decide/", {"decision": "rejected"}, format="json")
    assert refused.status_code == 400 and "comment" in refused.json()["errors"]
    first.refresh_from_db()
    assert first.review_state == ReviewDecision.PENDING
    bad = api.post(f"{QUEUE}{first.pk}/decide/", {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["errors"]
    accepted = api.post(f"{QUEUE}{first.pk}/decide/", {"decision": "accepted"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "accepted"
    assert Notification.objects.filter(user=member, event="evidence_accepted").exists()
    again = api.post(f"{QUEUE}{first.pk}/decide/", {"decision": "rejected", "comment": "No"}, format="json")
    assert again.status_code == 400 and "already been reviewed" in again.json()["message"]
    body = {"decision": "needs_clarification", "comment": "Which fence?"}
    assert api.post(f"{QUEUE}{second.pk}/decide/", body, format="json").json()["review_state"] == "needs_clarification"
    assert ids(api.get(QUEUE)) == []


def test_a_reviewer_cannot_decide_their_own_upload(api, org, make_user):
    manager = make_user(Role.MANAGER)
    row = uploaded(manager, evidence_task(org, manager))
    api.force_authenticate(manager)
    response = api.post(f"{QUEUE}{row.pk}/decide/", {"decision": "accepted"}, format="json")
    assert response.status_code == 400 and "someone else" in response.json()["message"]


def test_sync_sees_decisions_and_deletions(api, member, task, reviewer):
    row = uploaded(member, task)
    Evidence.all_objects.filter(pk=row.pk).update(updated_at=row.updated_at.replace(year=2025))
    api.force_authenticate(member)
    since = api.get(URL).json()["server_time"]
    assert ids(api.get(f"{URL}?updated_since={since}")) == []
    services.decide(actor=reviewer, evidence=row, decision="rejected", comment="Blurred")
    assert ids(api.get(f"{URL}?updated_since={since}")) == [row.pk]
    services.soft_delete(actor=member, evidence=row)
    changed = api.get(f"{URL}?updated_since={since}").json()
    assert changed["results"] == [] and [gone["id"] for gone in changed["deleted"]] == [row.pk]


def test_query_counts_do_not_grow(api, member, task, reviewer, own_queries):
    uploaded(member, task, "a.pdf")
    api.force_authenticate(reviewer)
    few, few_queue = own_queries(api, URL), own_queries(api, QUEUE)
    for name in ("b.pdf", "c.pdf", "d.pdf"):
        uploaded(member, task, name, samples.pdf(name, name))
    assert own_queries(api, URL) == few and own_queries(api, QUEUE) == few_queue


def test_an_oversized_file_is_refused_and_stores_nothing(api, member, task, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 0
    api.force_authenticate(member)
    response = api.post(URL, {"task": task.pk, "file": pdf()}, format="multipart")
    assert response.status_code == 400 and "larger than 0 MB" in response.json()["errors"]["file"][0]
    assert not Evidence.objects.exists()


def test_a_retried_upload_with_its_idempotency_key_gets_the_first_answer(api, member, task):
    api.force_authenticate(member)
    first = api.post(URL, {"task": task.pk, "file": pdf()}, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")
    again = api.post(URL, {"task": task.pk, "file": pdf()}, format="multipart", HTTP_IDEMPOTENCY_KEY="upload-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Evidence.objects.count() == 1
