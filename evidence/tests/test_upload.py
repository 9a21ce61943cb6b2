import hashlib
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.permissions import Role
from evidence import samples, services, storage
from evidence.models import Evidence
from evidence.tests.factories import evidence_task, keys_under, upload_file, uploaded
from notifications.models import Notification
from pit.enums import EvidenceType, ReviewDecision
from pit.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org, member):
    return evidence_task(org, member, name="Repair the pump station fence")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="Rita Reviewer")


def test_the_object_is_in_the_bucket_with_the_stored_sha256(member, task, reviewer):
    data = samples.pdf("Fence repair report", "Pump station")
    row = uploaded(member, task, "fence report.pdf", data, note="Signed off by the contractor")
    stored = storage.open_object(row.file_url).read()
    assert stored == data
    assert row.sha256 == hashlib.sha256(data).hexdigest() == row.metadata["sha256"]
    assert keys_under(task) == [row.file_url]
    assert row.file_url.startswith(f"evidence/{task.project.org_id}/{task.pk}/") and "fence" not in row.file_url
    assert (row.file_type, row.mime, row.size_bytes, row.filename) == (
        EvidenceType.DOCUMENT, "application/pdf", len(data), "fence report.pdf"
    )  # fmt: skip
    assert (row.review_state, row.version, row.is_current, row.note) == (
        ReviewDecision.PENDING, 1, True, "Signed off by the contractor"
    )  # fmt: skip
    assert AuditLog.objects.filter(table_name="evidence", record_id=str(row.pk), action="CREATE").exists()
    assert (
        Notification.objects.filter(user=reviewer, event="evidence_review_requested", type="internal_message").count()
        == 1
    )


def test_a_photo_keeps_its_exif_time_and_position(member, task):
    data = samples.photo("fence", taken_at=datetime(2026, 11, 20, 9, 15), gps=(-33.8688, 151.2093))
    row = uploaded(member, task, "IMG_0042.jpg", data)
    assert row.file_type == EvidenceType.PHOTO
    assert row.metadata["taken_at"] == "2026-11-20T09:15:00"
    assert row.metadata["gps"] == {"lat": -33.8688, "lon": 151.2093}
    assert (row.metadata["width"], row.metadata["height"]) == (640, 480)


def test_the_type_comes_from_the_bytes_not_the_name(member, task):
    row = uploaded(member, task, "holiday.pdf", samples.photo("really a photo"))
    assert (row.file_type, row.mime) == (EvidenceType.PHOTO, "image/jpeg")


def test_several_files_at_once(member, task):
    rows = services.upload(
        actor=member, task=task, note="both",
        files=[upload_file("a.pdf", samples.pdf("a")), upload_file("b.jpg", samples.photo("b"))],
    )  # fmt: skip
    assert [row.filename for row in rows] == ["a.pdf", "b.jpg"]
    assert sorted(keys_under(task)) == sorted(row.file_url for row in rows)


def _named(name: str, data: bytes):
    """An upload whose name is exactly what a client sent (Django's parser would already have cut a path)."""
    upload = SimpleUploadedFile("x", data)
    upload._name = name
    return upload


REFUSALS = [
    ("empty", lambda: upload_file("empty.pdf", b""), "is empty"),
    ("executable", lambda: upload_file("setup.pdf", b"MZ\x90\x00" + b"\0" * 400), "executables are not accepted"),
    ("script", lambda: upload_file("notes.txt", b"#!/bin/sh\necho hi\n"), "executables are not accepted"),
    ("markup", lambda: upload_file("page.txt", b"<html><script>alert(1)</script>"), "not accepted"),
    ("unknown", lambda: upload_file("blob.bin", bytes(range(256)) * 4), "not accepted"),
    ("path", lambda: _named("../../etc/report.pdf", samples.pdf("x")), "folder parts"),
    ("control", lambda: _named("report\x1b.pdf", samples.pdf("x")), "control characters"),
]


@pytest.mark.parametrize("case, make, message", REFUSALS, ids=[case for case, _, _ in REFUSALS])
def test_every_refusal_leaves_no_row_and_no_object(member, task, case, make, message):
    with pytest.raises(ValidationError) as refused:
        services.upload(actor=member, task=task, files=[make()])
    assert message in " ".join(refused.value.messages)
    assert not Evidence.all_objects.filter(task=task).exists()
    assert keys_under(task) == []


def test_over_the_size_limit_is_refused(member, task, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="at most 1 MB"):
        services.upload(actor=member, task=task, files=[upload_file("big.pdf", b"%PDF-1.4\n" + b"0" * 2**21)])
    assert not Evidence.all_objects.filter(task=task).exists() and keys_under(task) == []


def test_a_duplicate_on_the_same_task_points_to_the_existing_item(member, task):
    first = uploaded(member, task, "report.pdf", samples.pdf("same bytes"))
    with pytest.raises(ValidationError) as refused:
        uploaded(member, task, "copy of report.pdf", samples.pdf("same bytes"))
    assert f"“report.pdf” (version 1, pending) at /evidence/{first.pk}/" in refused.value.messages[0]
    assert list(Evidence.objects.filter(task=task)) == [first]
    assert keys_under(task) == [first.file_url]  # the second object was deleted again


def test_one_bad_file_refuses_the_whole_upload(member, task):
    with pytest.raises(ValidationError):
        services.upload(actor=member, task=task, files=[upload_file("ok.pdf", samples.pdf("ok")),
                                                        upload_file("empty.pdf", b"")])  # fmt: skip
    assert not Evidence.all_objects.filter(task=task).exists() and keys_under(task) == []


def test_the_same_file_on_another_task_is_allowed(org, member, task):
    other = evidence_task(org, member)
    uploaded(member, task, "report.pdf", samples.pdf("shared"))
    assert uploaded(member, other, "report.pdf", samples.pdf("shared")).task == other


def test_only_people_of_the_task_upload(make_user, task):
    stranger = make_user(Role.MEMBER)
    viewer = make_user(Role.VIEWER)
    for person in (stranger, viewer):
        with pytest.raises(PermissionDenied):
            uploaded(person, task)
    assert keys_under(task) == []


def test_a_new_version_keeps_every_earlier_version(member, task, reviewer):
    first = uploaded(member, task, "plan.pdf", samples.pdf("plan v1"))
    services.decide(actor=reviewer, evidence=first, decision=ReviewDecision.REJECTED, comment="Unsigned")
    [second] = services.upload(
        actor=member, task=task, files=[upload_file("plan-signed.pdf", samples.pdf("plan v2"))], replaces=first,
        change_summary="Signed by the contractor",
    )  # fmt: skip
    first.refresh_from_db()
    assert (second.version, second.previous, second.lineage, second.review_state) == (
        2, first, first.lineage, ReviewDecision.PENDING
    )  # fmt: skip
    assert (first.is_current, first.review_state) == (False, ReviewDecision.REJECTED)
    assert sorted(keys_under(task)) == sorted([first.file_url, second.file_url])
    with pytest.raises(ValidationError, match="replaced or deleted"):
        services.upload(actor=member, task=task, files=[upload_file("v3.pdf", samples.pdf("v3"))], replaces=first,
                        change_summary="again")  # fmt: skip
    with pytest.raises(ValidationError):
        services.upload(actor=member, task=task, files=[upload_file("v3.pdf", samples.pdf("v3"))], replaces=second)


def test_soft_delete_hides_every_version_and_keeps_the_objects(member, task):
    first = uploaded(member, task, "plan.pdf", samples.pdf("plan v1"))
    services.upload(actor=member, task=task, files=[upload_file("p2.pdf", samples.pdf("plan v2"))], replaces=first,
                    change_summary="v2")  # fmt: skip
    assert services.soft_delete(actor=member, evidence=first) == 2
    assert not Evidence.objects.filter(task=task).exists()
    assert Evidence.all_objects.filter(task=task, deleted_at__isnull=False).count() == 2
    assert len(keys_under(task)) == 2


def test_reviewers_are_sent_to_the_review_page(member, task, reviewer):
    row = uploaded(member, task)
    links = set(
        Notification.objects.filter(user=reviewer, event="evidence_review_requested").values_list("link", flat=True)
    )
    assert links == {f"/reviews/{row.pk}/"}


@pytest.mark.django_db(transaction=True)
def test_the_retention_purge_removes_rows_and_objects_of_long_deleted_evidence(org, member):
    from datetime import timedelta

    from django.utils import timezone

    from evidence.tasks import purge_deleted_task

    task = evidence_task(org, member)
    old, recent, live = (uploaded(member, task, f"{n}.pdf", samples.pdf(n)) for n in ("old", "recent", "live"))
    services.soft_delete(actor=member, evidence=old)
    services.soft_delete(actor=member, evidence=recent)
    Evidence.all_objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=91))
    assert purge_deleted_task.run()["purged"] == 1
    assert set(Evidence.all_objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert sorted(keys_under(task)) == sorted([recent.file_url, live.file_url])
    assert AuditLog.objects.filter(action="PURGE", record_id=str(old.pk)).exists()
    assert purge_deleted_task.run()["purged"] == 0  # idempotent
