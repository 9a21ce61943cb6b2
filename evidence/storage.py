"""Evidence objects in the private S3 bucket (django-storages' S3 backend, settings STORAGES["evidence"]).

Uploads stream from Django's temporary upload file to S3 in 8 MB parts, one part at a time, hashing as they go:
a 100 MB file never sits in memory. Downloads are short-lived presigned URLs handed out by the views after the
tenancy and permission check: S3 serves the bytes (and range requests for video) without holding a web worker.
"""

import contextlib
import hashlib
import uuid

from boto3.s3.transfer import TransferConfig
from django.core.files.storage import storages
from django.utils.http import content_disposition_header

from evidence.inspection import INLINE

PART = 8 * 1024 * 1024
TRANSFER = TransferConfig(multipart_threshold=PART, multipart_chunksize=PART, use_threads=False)


def bucket_storage():
    return storages["evidence"]


class HashingReader:
    """A file wrapper that hashes (SHA-256) and counts every byte read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        chunk = self.raw.read(size)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def new_key(org_id: int, task_id: int) -> str:
    """Generated keys: nothing from the client's file name reaches the bucket's key space."""
    return f"evidence/{org_id}/{task_id}/{uuid.uuid4().hex}"


def put(key: str, fileobj, *, mime: str, filename: str) -> tuple[str, int]:
    """Stream `fileobj` to `key`; returns (sha256 hex, size) of the bytes stored."""
    fileobj.seek(0)
    reader = HashingReader(fileobj)
    extra = {"ContentType": mime, "ContentDisposition": content_disposition_header(True, filename)}
    bucket_storage().bucket.Object(key).upload_fileobj(reader, ExtraArgs=extra, Config=TRANSFER)
    return reader.sha256.hexdigest(), reader.size


def delete(key: str) -> None:
    bucket_storage().delete(key)


def delete_many(keys: list[str]) -> None:
    """Delete up to 1,000 objects in one request."""
    if keys:
        bucket_storage().bucket.delete_objects(Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True})


def presigned_url(evidence, *, inline: bool = False) -> str:
    """A URL valid for a few minutes (EVIDENCE_URL_SECONDS). Inline only for types a browser shows safely."""
    inline = inline and evidence.mime in INLINE
    params = {
        "ResponseContentDisposition": content_disposition_header(not inline, evidence.filename),
        "ResponseContentType": evidence.mime if inline else "application/octet-stream",
    }
    return bucket_storage().url(evidence.file_url, parameters=params)


def open_object(key: str):
    """A streaming body of the stored object (for the scorer's text extraction and for tests). Safe in threads:
    django-storages keeps one boto3 connection per thread."""
    storage = bucket_storage()
    return storage.connection.meta.client.get_object(Bucket=storage.bucket_name, Key=key)["Body"]


# Resumable uploads (evidence.resumable): S3 multipart uploads driven part by part by the API.
def _client():
    storage = bucket_storage()
    return storage.connection.meta.client, storage.bucket_name


def start_multipart(key: str, *, filename: str) -> str:
    """The S3 upload id. The content type is not known yet (it is sniffed at completion): downloads set it."""
    client, bucket = _client()
    disposition = content_disposition_header(True, filename)
    answer = client.create_multipart_upload(
        Bucket=bucket, Key=key, ContentType="application/octet-stream", ContentDisposition=disposition
    )
    return answer["UploadId"]


def put_part(key: str, upload_id: str, number: int, fileobj, size: int) -> str:
    """Store one part (a seekable file of `size` bytes); returns its ETag."""
    client, bucket = _client()
    fileobj.seek(0)
    answer = client.upload_part(
        Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=fileobj, ContentLength=size
    )
    return answer["ETag"]


def complete_multipart(key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
    client, bucket = _client()
    listed = [{"PartNumber": number, "ETag": etag} for number, etag in parts]
    client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": listed})


def abort_multipart(key: str, upload_id: str) -> None:
    """Drop the parts; an upload S3 no longer knows (completed or aborted already) is fine."""
    client, bucket = _client()
    with contextlib.suppress(client.exceptions.NoSuchUpload):
        client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)


def digest(key: str, *, head_bytes: int) -> tuple[str, int, bytes]:
    """(SHA-256 hex, size, first `head_bytes` bytes) of a stored object, read as a stream in PART-sized chunks."""
    body = open_object(key)
    sha256, size, head = hashlib.sha256(), 0, b""
    for chunk in body.iter_chunks(PART):
        sha256.update(chunk)
        size += len(chunk)
        if len(head) < head_bytes:
            head += chunk[: head_bytes - len(head)]
    return sha256.hexdigest(), size, head
