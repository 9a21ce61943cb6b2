"""Helpers for evidence tests: uploads of real small files to the real (embedded) S3."""

from django.core.files.uploadedfile import SimpleUploadedFile

from evidence import samples, services, storage
from projects.tests.factories import task_in


def upload_file(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def evidence_task(org, owner, **fields):
    fields.setdefault("requires_evidence", True)
    return task_in(org, owner, **fields)


def uploaded(actor, task, name="report.pdf", data=None, **kwargs):
    data = data if data is not None else samples.pdf(f"Evidence for {task.name}", name)
    [row] = services.upload(actor=actor, task=task, files=[upload_file(name, data)], **kwargs)
    return row


def keys_under(task) -> list[str]:
    """Object keys the bucket holds for this task."""
    prefix = f"evidence/{task.project.org_id}/{task.pk}/"
    return [obj.key for obj in storage.bucket_storage().bucket.objects.filter(Prefix=prefix)]
