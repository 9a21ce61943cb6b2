"""Resumable uploads against the real (embedded) S3: an upload interrupted and resumed by a fresh client, checksum
and size checks that leave nothing behind, part numbers and sizes, ownership and tenancy, abort, the cleanup job,
and idempotent completion."""

import hashlib
import os
from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from evidence import resumable, samples, storage
from evidence.models import Evidence, EvidenceUpload, UploadState
from evidence.tasks import clean_up_uploads_task
from evidence.tests.factories import evidence_task, keys_under, uploaded
from notifications.models import Notification
from pit.models import AuditLog, JobRun

pytestmark = pytest.mark.django_db
URL = "/api/v1/uploads/"
PART = resumable.PART_MIN  # 5 MiB: the smallest part S3 takes


def photo_bytes(size: int) -> bytes:
    """A real JPEG (with EXIF time and GPS) padded to `size` with random bytes after its end marker."""
    head = samples.photo("Fence", taken_at=datetime(2026, 11, 20, 9, 30), gps=(-33.86, 151.21))
    return head + os.urandom(size - len(head))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def parts_of(data: bytes, part_size: int = PART) -> list[bytes]:
    return [data[start : start + part_size] for start in range(0, len(data), part_size)]


def start(api, for_task, data: bytes, **fields):
    body = {"task": for_task.pk, "filename": "fence.jpg", "size": len(data), "sha256": sha(data), "part_size": PART}
    return api.post(URL, body | fields, format="json")


def put(api, upload_id, number: int, data: bytes):
    return api.put(f"{URL}{upload_id}/parts/{number}/", data, content_type="application/octet-stream")


def s3_upload_exists(upload: EvidenceUpload) -> bool:
    client, bucket = storage._client()
    try:
        client.list_parts(Bucket=bucket, Key=upload.object_key, UploadId=upload.s3_upload_id)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "NoSuchUpload"
        return False
    return True


@pytest.fixture
def task(org, member):
    return evidence_task(org, member, name="Repair the fence")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER)


@pytest.fixture
def phone(api, member):
    api.force_authenticate(member)
    return api


def test_an_interrupted_upload_is_resumed_by_a_fresh_client(phone, member, task, reviewer):
    data = photo_bytes(2 * PART + 123_456)
    created = start(phone, task, data, note="After the repair")
    assert created.status_code == 201, created.json()
    upload = created.json()
    assert upload["part_count"] == 3 and upload["part_size"] == PART and upload["missing"] == [1, 2, 3]
    assert upload["s3_upload_id"] and upload["state"] == "open"
    first, second, third = parts_of(data)
    sent = put(phone, upload["id"], 1, first)
    assert sent.status_code == 200 and sent.json() == {**sent.json(), "number": 1, "sha256": sha(first)}
    assert put(phone, upload["id"], 3, third).status_code == 200
    # the connection drops while part 2 travels; later a fresh client asks what the server holds
    fresh = APIClient()
    fresh.force_authenticate(member)
    state = fresh.get(f"{URL}{upload['id']}/").json()
    assert state["missing"] == [2] and [part["number"] for part in state["parts"]] == [1, 3]
    assert fresh.post(f"{URL}{upload['id']}/complete/").status_code == 409  # not yet: part 2 is missing
    assert put(fresh, upload["id"], 2, second[:1000] + b"x" * (len(second) - 1000)).status_code == 200  # garbled
    assert put(fresh, upload["id"], 2, second).status_code == 200  # sent again: replaces it
    done = fresh.post(f"{URL}{upload['id']}/complete/")
    assert done.status_code == 201, done.json()
    evidence = Evidence.objects.get(task=task)
    assert done.json()["id"] == evidence.pk and evidence.sha256 == sha(data) and evidence.size_bytes == len(data)
    assert evidence.file_type == "photo" and evidence.mime == "image/jpeg" and evidence.note == "After the repair"
    assert evidence.metadata["gps"] == {"lat": -33.86, "lon": 151.21} and evidence.uploaded_by == member
    assert storage.open_object(evidence.file_url).read() == data
    assert Notification.objects.filter(user=reviewer, event="evidence_review_requested").exists()
    row = EvidenceUpload.objects.get(pk=upload["id"])
    assert row.state == UploadState.COMPLETED and row.evidence == evidence and not s3_upload_exists(row)
    assert AuditLog.objects.filter(table_name="evidence_upload", record_id=str(row.pk)).count() == 2
    again = fresh.post(f"{URL}{upload['id']}/complete/")  # a retry without a key: the same evidence
    assert again.status_code == 200 and again.json()["id"] == evidence.pk and Evidence.objects.count() == 1


def test_query_counts_do_not_grow(phone, task, own_queries):
    data = photo_bytes(PART + 1)
    first = start(phone, task, data).json()
    urls = [URL, f"{URL}{first['id']}/"]
    small = [own_queries(phone, url) for url in urls]
    for _ in range(3):
        upload = start(phone, task, data).json()
        put(phone, upload["id"], 1, parts_of(data)[0])
    put(phone, first["id"], 2, parts_of(data)[1])
    assert [own_queries(phone, url) for url in urls] == small


def test_a_wrong_checksum_creates_nothing(phone, task):
    data = photo_bytes(PART + 10)
    upload = start(phone, task, data, sha256=sha(b"another file")).json()
    for number, part in enumerate(parts_of(data), start=1):
        assert put(phone, upload["id"], number, part).status_code == 200
    refused = phone.post(f"{URL}{upload['id']}/complete/")
    assert refused.status_code == 422 and refused.json()["code"] == "checksum_mismatch"
    assert sha(data) in refused.json()["message"]
    assert not Evidence.objects.exists() and keys_under(task) == []
    row = EvidenceUpload.objects.get(pk=upload["id"])
    assert row.state == UploadState.FAILED and "not the one declared" in row.error
    assert phone.post(f"{URL}{upload['id']}/complete/").status_code == 409  # refused for good: start again
    assert put(phone, upload["id"], 1, parts_of(data)[0]).status_code == 409


def test_completion_applies_the_plain_uploads_rules(phone, member, task):
    script = b"#!/bin/sh\necho hi\n" + b"#" * (PART + 5)  # not accepted as evidence, whatever its name
    upload = start(phone, task, script, filename="notes.txt").json()
    for number, part in enumerate(parts_of(script), start=1):
        put(phone, upload["id"], number, part)
    refused = phone.post(f"{URL}{upload['id']}/complete/")
    assert refused.status_code == 400 and "program" in refused.json()["message"]
    assert not Evidence.objects.exists() and keys_under(task) == []
    existing = uploaded(member, task)  # the same bytes twice on one task: refused before a byte is sent
    data = storage.open_object(existing.file_url).read()
    duplicate = start(phone, task, data, filename="again.pdf")
    assert duplicate.status_code == 400 and "already evidence" in duplicate.json()["errors"]["sha256"][0]


def test_a_new_version_through_a_resumable_upload(phone, member, task):
    first = uploaded(member, task)
    data = photo_bytes(PART + 50)
    missing = start(phone, task, data, replaces=first.pk)
    assert missing.status_code == 400 and "change_summary" in missing.json()["errors"]
    upload = start(phone, task, data, replaces=first.pk, change_summary="A photo instead").json()
    for number, part in enumerate(parts_of(data), start=1):
        put(phone, upload["id"], number, part)
    done = phone.post(f"{URL}{upload['id']}/complete/").json()
    assert done["version"] == 2 and done["lineage"] == str(first.lineage)
    assert done["change_summary"] == "A photo instead"
    first.refresh_from_db()
    assert first.is_current is False


def test_refused_at_the_start(api, task, member, make_user, other_org, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 10
    api.force_authenticate(member)
    data = b"x" * 100
    foreign = evidence_task(other_org, UserFactory(org=other_org))
    cases = [
        ({"size": 11 * 1024 * 1024}, "size"),
        ({"filename": "../../etc/passwd"}, "filename"),
        ({"sha256": "nothex"}, "sha256"),
        ({"part_size": 1024}, "part_size"),
        ({"task": foreign.pk}, "task"),
    ]
    for fields, field in cases:
        response = start(api, task, data, **fields)
        assert response.status_code == 400 and field in response.json()["errors"], (fields, response.json())
    for person in (make_user(Role.VIEWER), make_user(Role.MEMBER)):  # a viewer; a member not on the task
        api.force_authenticate(person)
        assert start(api, task, data).status_code == 403
    assert not EvidenceUpload.objects.exists()


def test_part_numbers_and_sizes(phone, task):
    data = photo_bytes(PART + 300)
    upload = start(phone, task, data).json()
    first, last = parts_of(data)
    for number in (0, 3, 999):
        response = put(phone, upload["id"], number, last)
        assert response.status_code == 400 and "parts 1 to 2" in response.json()["errors"]["number"][0]
    too_big = put(phone, upload["id"], 2, last + b"!")
    assert too_big.status_code == 413 and too_big.json()["code"] == "payload_too_large"
    short = put(phone, upload["id"], 1, first[:-1])
    assert short.status_code == 400 and "send the part again" in short.json()["message"]
    assert phone.get(f"{URL}{upload['id']}/").json()["parts"] == []
    assert put(phone, "00000000-0000-0000-0000-000000000000", 1, first).status_code == 404


def test_another_persons_or_organisations_upload_is_a_404(api, phone, org, other_org, task, member, make_user):
    data = photo_bytes(PART + 1)
    upload = start(phone, task, data).json()
    outsider = UserFactory(org=other_org, role=Role.ORG_ADMIN)
    colleague = make_user(Role.ORG_ADMIN)  # same organisation, may do everything, but it is not their upload
    for person in (outsider, colleague):
        api.force_authenticate(person)
        for response in (
            api.get(f"{URL}{upload['id']}/"),
            put(api, upload["id"], 1, parts_of(data)[0]),
            api.post(f"{URL}{upload['id']}/complete/"),
            api.delete(f"{URL}{upload['id']}/"),
        ):
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert api.get(URL).json()["results"] == []
    row = EvidenceUpload.objects.get(pk=upload["id"])
    assert row.state == UploadState.OPEN and not row.parts.exists() and s3_upload_exists(row)


def test_abort(phone, task):
    data = photo_bytes(PART + 1)
    upload = start(phone, task, data).json()
    put(phone, upload["id"], 1, parts_of(data)[0])
    assert phone.delete(f"{URL}{upload['id']}/").status_code == 204
    row = EvidenceUpload.objects.get(pk=upload["id"])
    assert row.state == UploadState.ABORTED and not row.parts.exists() and not s3_upload_exists(row)
    assert phone.delete(f"{URL}{upload['id']}/").status_code == 204  # again: nothing to do
    assert put(phone, upload["id"], 2, parts_of(data)[1]).status_code == 409


def test_the_cleanup_job_aborts_abandoned_uploads_only(phone, task, settings):
    data = photo_bytes(PART + 1)
    old, fresh = start(phone, task, data).json(), start(phone, task, data).json()
    put(phone, old["id"], 1, parts_of(data)[0])
    idle = timezone.now() - timedelta(hours=settings.EVIDENCE_UPLOAD_ABANDON_HOURS, minutes=1)
    EvidenceUpload.objects.filter(pk=old["id"]).update(updated_at=idle)
    result = clean_up_uploads_task.run()
    assert result["aborted"] == 1
    old_row, fresh_row = EvidenceUpload.objects.get(pk=old["id"]), EvidenceUpload.objects.get(pk=fresh["id"])
    assert old_row.state == UploadState.ABORTED and not s3_upload_exists(old_row) and not old_row.parts.exists()
    assert fresh_row.state == UploadState.OPEN and s3_upload_exists(fresh_row)
    assert JobRun.objects.get(pk=result["job_run"]).name == "evidence-upload-cleanup"
    assert AuditLog.objects.filter(action="EXPIRE", record_id=str(old_row.pk)).exists()
    assert clean_up_uploads_task.run()["aborted"] == 0  # idempotent
    EvidenceUpload.objects.filter(pk=old["id"]).update(updated_at=idle)  # a finished upload is forgotten later
    assert clean_up_uploads_task.run()["forgotten"] == 1
    assert list(EvidenceUpload.objects.values_list("pk", flat=True)) == [fresh_row.pk]


def test_an_idempotent_completion(phone, task):
    data = photo_bytes(PART + 7)
    key = {"HTTP_IDEMPOTENCY_KEY": "c0ffee00-0000-4000-8000-000000000001"}
    created = phone.post(URL, {"task": task.pk, "filename": "f.jpg", "size": len(data), "sha256": sha(data),
                               "part_size": PART}, format="json", **key)  # fmt: skip
    replayed = phone.post(URL, {"task": task.pk, "filename": "f.jpg", "size": len(data), "sha256": sha(data),
                                "part_size": PART}, format="json", **key)  # fmt: skip
    assert replayed["Idempotent-Replayed"] == "true" and replayed.json()["id"] == created.json()["id"]
    assert EvidenceUpload.objects.count() == 1
    upload = created.json()
    for number, part in enumerate(parts_of(data), start=1):
        put(phone, upload["id"], number, part)
    first = phone.post(f"{URL}{upload['id']}/complete/", **key)
    retry = phone.post(f"{URL}{upload['id']}/complete/", **key)
    assert first.status_code == retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json() and Evidence.objects.count() == 1


def test_a_refused_request_does_not_keep_its_idempotency_key(phone, task):
    data = photo_bytes(PART + 7)
    key = {"HTTP_IDEMPOTENCY_KEY": "c0ffee00-0000-4000-8000-000000000002"}
    body = {"task": task.pk, "filename": "f.jpg", "size": len(data), "sha256": sha(data), "part_size": PART}
    assert phone.post(URL, body | {"sha256": "nothex"}, format="json", **key).status_code == 400
    created = phone.post(URL, body, format="json", **key)  # the same key, corrected: not "used for another request"
    assert created.status_code == 201 and "Idempotent-Replayed" not in created


class BrokenStream:
    """A request body whose connection breaks after `good` bytes (gunicorn raises an OSError then)."""

    def __init__(self, data: bytes, good: int):
        self.data, self.good, self.offset = data, good, 0

    def read(self, size: int) -> bytes:
        if self.offset >= self.good:
            raise OSError("connection reset by peer")
        chunk = self.data[self.offset : min(self.offset + size, self.good)]
        self.offset += len(chunk)
        return chunk


def test_a_part_cut_short_by_the_network_is_not_kept(phone, member, task):
    data = photo_bytes(PART + 1)
    upload = EvidenceUpload.objects.get(pk=start(phone, task, data).json()["id"])
    first = parts_of(data)[0]
    with pytest.raises(ValidationError, match="send the part again"):
        resumable.receive_part(actor=member, upload=upload, number=1, stream=BrokenStream(first, PART // 2))
    assert not upload.parts.exists()
    part = resumable.receive_part(actor=member, upload=upload, number=1, stream=BrokenStream(first, PART))
    assert part.sha256 == sha(first) and upload.parts.count() == 1


def test_a_small_file_is_one_part_and_the_cleanup_is_scheduled(phone, task, settings):
    data = samples.pdf("Handover signed", "handover.pdf")
    upload = start(phone, task, data, filename="handover.pdf").json()
    assert upload["part_count"] == 1 and upload["missing"] == [1]
    assert put(phone, upload["id"], 1, data).json()["size_bytes"] == len(data)
    evidence = phone.post(f"{URL}{upload['id']}/complete/").json()
    assert evidence["filename"] == "handover.pdf" and evidence["file_type"] == "document"
    assert evidence["mime"] == "application/pdf" and evidence["sha256"] == sha(data)
    assert settings.CELERY_BEAT_SCHEDULE["evidence-upload-cleanup"]["task"] == clean_up_uploads_task.name
