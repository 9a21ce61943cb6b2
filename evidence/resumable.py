"""Resumable uploads (README "The API", Uploads): a phone on a bad network sends a large file in parts, asks which
parts the server holds after losing its connection, sends the rest, and completes. Each part goes straight into an
S3 multipart upload; completion assembles the object, checks its size and SHA-256 against what the client declared
(reading it back as a stream), then makes the evidence row through `services.record_stored` with every rule of a
plain upload (sniffed type, allow-list, size limit, duplicates, who may upload, versions).

S3 is not transactional, so the steps commit one by one and the row says what S3 holds: `open` (parts arrive),
`completing` (S3 assembles, the hash is read), then `completed` (with its evidence), or `failed` (refused: the
object is deleted, nothing else is left), or `aborted` (by its uploader, or by the cleanup job after
EVIDENCE_UPLOAD_ABANDON_HOURS without a part).
"""

import hashlib
import io
import tempfile
from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.services import system_user
from evidence import inspection, services, storage
from evidence.models import Evidence, EvidenceUpload, EvidenceUploadPart, UploadState
from pit import audit
from pit.models import JobRun
from pit.tenancy import org_of

MB = 1024 * 1024
PART_MIN = 5 * MB  # S3 (SeaweedFS and MinIO too) refuses a smaller part unless it is the last
PART_MAX = 64 * MB
MAX_PARTS = 10_000  # S3's limit
HEAD_BYTES = 256 * 1024  # what inspection reads: the type's signature and a photo's EXIF headers
READ_CHUNK = 256 * 1024
LIVE = (UploadState.OPEN, UploadState.COMPLETING)
FINISHED = (UploadState.COMPLETED, UploadState.FAILED, UploadState.ABORTED)


class UploadConflict(Exception):
    """The upload is not in a state for this (completed, aborted, parts missing): the API answers 409."""


class ChecksumMismatch(Exception):
    """The assembled file is not the one declared: the API answers 422; the object is gone, no evidence made."""


def start(*, actor, task, filename: str, size: int, sha256: str, content_type: str = "", part_size=None,
          note: str = "", replaces: Evidence | None = None, change_summary: str = "") -> EvidenceUpload:  # fmt: skip
    """Open an upload (and its S3 multipart upload) after every check that can be made before a byte is sent."""
    services.check_upload(actor, task, count=1, replaces=replaces, change_summary=change_summary)
    try:
        name = inspection.safe_name(filename)
    except ValidationError as error:
        raise ValidationError({"filename": error.messages}) from None
    sha256, part_size = sha256.lower(), part_size or settings.EVIDENCE_UPLOAD_PART_MB * MB
    _check_size(name, size, part_size)
    existing = Evidence.objects.filter(task=task, sha256=sha256).first()
    if existing is not None:
        shown = f"“{existing.filename}” (version {existing.version}) at {existing.get_absolute_url()}"
        raise ValidationError({"sha256": f"This file is already evidence on this task: {shown}."})
    org = org_of(task)
    key = storage.new_key(org.pk, task.pk)
    s3_upload_id = storage.start_multipart(key, filename=name)
    try:
        with transaction.atomic():
            upload = EvidenceUpload.objects.create(
                task=task, uploaded_by=actor, filename=name, size_bytes=size, sha256=sha256,
                content_type=content_type.strip(), part_size=part_size, object_key=key, s3_upload_id=s3_upload_id,
                note=note.strip(), replaces=replaces, change_summary=change_summary.strip(),
            )  # fmt: skip
            audit.record(actor=actor, org=org, action="CREATE", instance=upload, after=audit.snapshot(upload))
    except BaseException:
        storage.abort_multipart(key, s3_upload_id)
        raise
    return upload


def _check_size(name: str, size: int, part_size: int) -> None:
    limit_mb = settings.EVIDENCE_MAX_UPLOAD_MB
    if size <= 0:
        raise ValidationError({"size": f"“{name}” is empty: choose the file again."})
    if size > limit_mb * MB:
        raise ValidationError({"size": f"“{name}” is {size / MB:.1f} MB; evidence files may be at most {limit_mb} MB."})
    if -(-size // part_size) > MAX_PARTS:
        raise ValidationError({"part_size": f"That makes more than {MAX_PARTS:,} parts: choose larger parts."})


def check_part(upload: EvidenceUpload, number: int) -> int:
    """The size part `number` must have (raises when the upload takes no part of that number now)."""
    _require_open(upload)
    if not 1 <= number <= upload.part_count:
        raise ValidationError({"number": f"This upload has parts 1 to {upload.part_count}; there is no part {number}."})
    return upload.expected_size(number)


def receive_part(*, actor, upload: EvidenceUpload, number: int, stream) -> EvidenceUploadPart:
    """Store part `number` from `stream` (the request body): spooled and hashed, then sent to S3 as that part.
    Sending a part again replaces it (completion names the ETag recorded last)."""
    _require_owner(actor, upload)
    expected = check_part(upload, number)
    with tempfile.SpooledTemporaryFile(max_size=MB) as spool:
        received, sha256 = _spool(stream, spool, expected)
        if received != expected:
            raise ValidationError(
                f"Part {number} must be {expected:,} bytes; {received:,} arrived: send the part again."
            )
        try:
            etag = storage.put_part(upload.object_key, upload.s3_upload_id, number, spool, expected)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "NoSuchUpload":
                raise UploadConflict("This upload is no longer open: start a new upload.") from None
            raise
    with transaction.atomic():
        locked = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
        _require_open(locked)  # completed or aborted while the part travelled: it is not used
        part, _ = EvidenceUploadPart.objects.update_or_create(
            upload=locked, number=number, defaults={"size_bytes": expected, "etag": etag, "sha256": sha256}
        )
        EvidenceUpload.objects.filter(pk=locked.pk).update(updated_at=timezone.now())  # not abandoned
    return part


def _spool(stream, spool, expected: int) -> tuple[int, str]:
    """Copy at most `expected` bytes; (bytes copied, their SHA-256)."""
    sha256, received = hashlib.sha256(), 0
    while received < expected:
        try:
            chunk = stream.read(min(READ_CHUNK, expected - received))
        except OSError:  # the client's connection broke mid-part (gunicorn raises, runserver reads short)
            break
        if not chunk:
            break
        spool.write(chunk)
        sha256.update(chunk)
        received += len(chunk)
    return received, sha256.hexdigest()


def complete(*, actor, upload: EvidenceUpload) -> tuple[Evidence, bool]:
    """(the evidence, whether it was made now). Completing a completed upload answers its evidence again."""
    _require_owner(actor, upload)
    upload, done = _begin_completion(upload)
    if done is not None:
        return done, False
    try:
        storage.complete_multipart(upload.object_key, upload.s3_upload_id, _part_list(upload))
    except (BotoCoreError, ClientError):
        EvidenceUpload.objects.filter(pk=upload.pk).update(state=UploadState.OPEN, updated_at=timezone.now())
        raise  # the parts are still there: completing again may work
    try:
        return _verify_and_record(actor, upload), True
    except BaseException as error:
        storage.delete(upload.object_key)
        _fail(actor, upload, _reason(error))
        raise


@transaction.atomic
def _begin_completion(upload: EvidenceUpload) -> tuple[EvidenceUpload, Evidence | None]:
    locked = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
    if locked.state == UploadState.COMPLETED and locked.evidence_id is not None:
        return locked, Evidence.objects.filter(pk=locked.evidence_id).first() or _gone(locked)
    _require_open(locked)
    have = set(locked.parts.values_list("number", flat=True))
    missing = [number for number in range(1, locked.part_count + 1) if number not in have]
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" …" if len(missing) > 20 else "")
        raise UploadConflict(f"Parts {shown} have not arrived: send them, then complete again.")
    locked.state = UploadState.COMPLETING
    locked.save(update_fields=["state", "updated_at"])
    return locked, None


def _gone(upload):
    raise UploadConflict("This upload was completed, but its evidence has been deleted since.")


def _part_list(upload: EvidenceUpload) -> list[tuple[int, str]]:
    return list(upload.parts.order_by("number").values_list("number", "etag"))


def _verify_and_record(actor, upload: EvidenceUpload) -> Evidence:
    sha256, size, head = storage.digest(upload.object_key, head_bytes=HEAD_BYTES)
    if size != upload.size_bytes or sha256 != upload.sha256:
        raise ChecksumMismatch(
            f"The file that arrived ({size:,} bytes, SHA-256 {sha256}) is not the one declared ({upload.size_bytes:,} "
            f"bytes, SHA-256 {upload.sha256}): nothing was kept; start a new upload."
        )
    facts = inspection.inspect(StoredHead(upload.filename, size, head))
    facts.metadata["sha256"] = sha256
    with transaction.atomic():
        row = services.record_stored(
            actor=actor, task=upload.task, key=upload.object_key, facts=facts, note=upload.note,
            replaces=upload.replaces, change_summary=upload.change_summary,
        )  # fmt: skip
        _finish(actor, upload, UploadState.COMPLETED, evidence=row)
    return row


class StoredHead(io.BytesIO):
    """The first bytes of a stored object, shaped as the uploaded file inspection expects (name, size, read)."""

    def __init__(self, name: str, size: int, head: bytes):
        super().__init__(head)
        self.name, self.size = name, size


def _reason(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ChecksumMismatch | PermissionDenied):
        return str(error)
    return "The file could not be stored: start a new upload."


@transaction.atomic
def _fail(actor, upload: EvidenceUpload, reason: str) -> None:
    _finish(actor, upload, UploadState.FAILED, error=reason)


def _finish(actor, upload: EvidenceUpload, state: str, *, evidence=None, error: str = "") -> None:
    EvidenceUpload.objects.filter(pk=upload.pk).update(
        state=state, evidence=evidence, error=error, updated_at=timezone.now()
    )
    after = {"state": state, "evidence": evidence.pk if evidence else None, "error": error}
    audit.record(actor=actor, org=org_of(upload.task), action="UPDATE", instance=upload,
                 before={"state": upload.state}, after=after)  # fmt: skip


def abort(*, actor, upload: EvidenceUpload) -> None:
    """The uploader gives up: S3 drops the parts. Aborting an aborted or refused upload changes nothing."""
    _require_owner(actor, upload)
    with transaction.atomic():
        locked = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.state in (UploadState.ABORTED, UploadState.FAILED):
            return
        if locked.state != UploadState.OPEN:
            raise UploadConflict(f"This upload is {locked.get_state_display().lower()}: it cannot be aborted.")
        storage.abort_multipart(locked.object_key, locked.s3_upload_id)
        locked.parts.all().delete()
        _finish(actor, locked, UploadState.ABORTED)


def _require_owner(actor, upload: EvidenceUpload) -> None:
    if upload.uploaded_by_id != actor.pk:  # the API never shows another person's upload; this is the last wall
        raise PermissionDenied("Only the person who started an upload sends, completes or aborts it.")


def _require_open(upload: EvidenceUpload) -> None:
    if upload.state != UploadState.OPEN:
        detail = f" ({upload.error})" if upload.error else ""
        raise UploadConflict(f"This upload is {upload.get_state_display().lower()}{detail}: start a new upload.")


CLEANUP_BATCH = 100


def clean_up(*, now=None) -> JobRun:
    """The beat job: uploads without a part for EVIDENCE_UPLOAD_ABANDON_HOURS are aborted (S3 drops their parts;
    one stuck while completing also loses its object), and finished ones older than that are forgotten."""
    started = now or timezone.now()
    cutoff = started - timedelta(hours=settings.EVIDENCE_UPLOAD_ABANDON_HOURS)
    aborted = 0
    while batch := _abort_batch(cutoff):
        aborted += batch
    deleted, _ = EvidenceUpload.objects.filter(state__in=FINISHED, updated_at__lt=cutoff).delete()
    return JobRun.objects.create(
        name="evidence-upload-cleanup", started_at=started, finished_at=timezone.now(), rows_changed=aborted,
        detail={"aborted": aborted, "forgotten": deleted, "cutoff": cutoff.isoformat()},
    )  # fmt: skip


@transaction.atomic
def _abort_batch(cutoff) -> int:
    stale = list(
        EvidenceUpload.objects.select_for_update(skip_locked=True)
        .filter(state__in=LIVE, updated_at__lt=cutoff)
        .select_related("task__project")[:CLEANUP_BATCH]
    )  # fmt: skip
    for upload in stale:
        storage.abort_multipart(upload.object_key, upload.s3_upload_id)
        if upload.state == UploadState.COMPLETING:  # the process died between assembling and recording
            storage.delete(upload.object_key)
    ids = [upload.pk for upload in stale]
    EvidenceUploadPart.objects.filter(upload_id__in=ids).delete()
    EvidenceUpload.objects.filter(pk__in=ids).update(
        state=UploadState.ABORTED, error="Abandoned: no part arrived for too long.", updated_at=timezone.now()
    )
    for org_id in {upload.task.project.org_id for upload in stale}:
        mine = [upload.pk for upload in stale if upload.task.project.org_id == org_id]
        actor = system_user(Organisation.objects.get(pk=org_id))
        audit.record_rows(actor=actor, org=org_id, action="EXPIRE", table_name="evidence_upload", record_ids=mine,
                          after={"state": UploadState.ABORTED})  # fmt: skip
    return len(stale)
