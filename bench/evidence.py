"""Evidence benchmarks: a 100 MB upload (peak memory growth of this process, throughput to S3), the review queue
with 10,000 pending items, and pre-scoring 1,000 items with the offline provider.

python -m pit.embedded test -- .venv/bin/python bench/evidence.py [--upload-mb 100] [--pending 10000] [--score 1000]
"""

import argparse
import hashlib
import os
import tempfile
import threading
import time
from datetime import timedelta

import psutil
from harness import HEADER, measure, migrate, signed_in_client


def seed():
    from accounts.models import User
    from pit import demo

    orgs = demo.seed_organisations(1, extra_staff=10)
    demo.seed_projects(orgs, projects=20, tasks=2000, seed=11)
    return (
        orgs[0],
        User.objects.get(email="member@demo.pit.example"),
        User.objects.get(email="reviewer@demo.pit.example"),
    )


def evidence_task(org, member, n: int = 0):
    from projects.models import Task

    task = Task.objects.filter(project__org=org).order_by("pk")[n]
    Task.objects.filter(pk=task.pk).update(owner=member, requires_evidence=True)
    task.refresh_from_db()
    return task


class PeakRss:
    """Samples this process's resident memory every 5 ms while the block runs."""

    def __enter__(self):
        self.process = psutil.Process(os.getpid())
        self.start = self.peak = self.process.memory_info().rss
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.start) / 2**20


def upload_big(org, member, megabytes: int) -> None:
    """The service path a browser upload takes after Django has spooled the body to a temporary file."""
    from django.core.files.uploadedfile import UploadedFile

    from evidence import services

    task = evidence_task(org, member)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as spool:
        spool.write(b"%PDF-1.4\n")
        block = os.urandom(2**20)
        for n in range(megabytes):  # exactly `megabytes` MiB with the header, every MiB different
            chunk = hashlib.sha256(bytes([n % 256])).digest() + block[32:]
            spool.write(chunk[:-9] if n == megabytes - 1 else chunk)
        spool.flush()
        size = spool.tell()
        spool.seek(0)
        upload = UploadedFile(spool, name="survey.pdf", content_type="application/pdf", size=size)
        with PeakRss() as rss:
            started = time.perf_counter()
            [row] = services.upload(actor=member, task=task, files=[upload])
            seconds = time.perf_counter() - started
    mib = size / 2**20
    print(f"upload {mib:.0f} MiB: {seconds:.2f} s, {mib / seconds:.0f} MiB/s to S3 (hashing included), "
          f"peak RSS growth {rss.growth_mib:.1f} MiB, sha256 {row.sha256[:12]}…")  # fmt: skip


def upload_through_django(org, member, megabytes: int) -> None:
    """The whole web path: Django's WSGI handler parses a multipart body streamed from disk (as a server hands it
    over), the upload handlers spool it, the view stores it. Memory is this process's peak RSS growth."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    from evidence.models import Evidence

    task = evidence_task(org, member, 2)
    session = signed_in_client(member).cookies["sessionid"].value
    boundary, token = "pitbenchboundary", "b" * 32
    with tempfile.TemporaryFile() as body:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="site.pdf"\r\n'
                   f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n".encode())  # fmt: skip
        block = os.urandom(2**20)
        for n in range(megabytes):  # the file is exactly `megabytes` MiB with its 9-byte header
            chunk = hashlib.sha256(bytes([n % 256])).digest() + block[32:]
            body.write(chunk[:-9] if n == megabytes - 1 else chunk)
        body.write(f"\r\n--{boundary}--\r\n".encode())
        length = body.tell()
        body.seek(0)
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": f"/tasks/{task.pk}/evidence/", "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": body, "wsgi.errors": io.StringIO(),
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(length),
            "HTTP_COOKIE": f"sessionid={session}; csrftoken={token}", "HTTP_X_CSRFTOKEN": token,
        }  # fmt: skip
        statuses = []
        with PeakRss() as rss:
            started = time.perf_counter()
            WSGIHandler()(environ, lambda status, headers: statuses.append(status))
            seconds = time.perf_counter() - started
    stored = Evidence.objects.filter(task=task).first()
    assert statuses == ["302 Found"] and stored is not None, statuses
    mib = stored.size_bytes / 2**20
    print(f"web upload {mib:.0f} MiB (multipart parse, spool, hash, S3): {seconds:.2f} s, "
          f"peak RSS growth {rss.growth_mib:.1f} MiB")  # fmt: skip


def pending_queue(org, member, reviewer, count: int, runs: int) -> None:
    from django.utils import timezone

    from evidence.models import Evidence
    from pit.enums import EvidenceType
    from projects.models import Task

    tasks = list(Task.objects.filter(project__org=org).order_by("pk")[:500])
    now = timezone.now()
    rows = [
        Evidence(
            task=tasks[n % len(tasks)], uploaded_by=member, file_url=f"evidence/bench/{n}",
            file_type=EvidenceType.DOCUMENT, metadata={"filename": f"report-{n}.pdf", "mime": "application/pdf"},
            sha256=hashlib.sha256(str(n).encode()).hexdigest(), size_bytes=50_000,
            review_state_at=now - timedelta(minutes=n), ai_score=(n * 37) % 101,
        )
        for n in range(count)
    ]  # fmt: skip
    Evidence.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evidence")
    client = signed_in_client(reviewer)
    print(f"\n{count:,} pending evidence items\n{HEADER}")
    for name, url in [("review queue /reviews/", "/reviews/"), ("queue page 50", "/reviews/?page=50"),
                      ("queue filtered (likely, search)", "/reviews/?score=likely&q=report-1")]:  # fmt: skip
        print(measure(client, name, url, runs).row())


def prescore(org, member, count: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence import samples, services

    task = evidence_task(org, member, 1)
    started = time.perf_counter()
    ids = []
    for n in range(count):
        data = samples.pdf(f"{task.name} report {n}") if n % 2 else samples.photo(f"{n}", size=(160, 120))
        name = f"item-{n}.pdf" if n % 2 else f"item-{n}.jpg"
        ids += [row.pk for row in services.upload(actor=member, task=task, files=[SimpleUploadedFile(name, data)])]
    print(f"\nuploaded {count:,} small files in {time.perf_counter() - started:.1f} s")
    if count <= 100:
        raise SystemExit("--score must be more than 100 (100 are scored one at a time, the rest in batches)")
    started = time.perf_counter()
    for pk in ids[:100]:  # one at a time, as the Celery task after each upload does
        services.prescore(pk)
    single = (time.perf_counter() - started) / 100
    started = time.perf_counter()
    scored = sum(services.prescore_many(ids[n : n + 200]) for n in range(100, count, 200))
    seconds = time.perf_counter() - started
    per_item = seconds / (count - 100)
    print(f"pre-scoring (offline provider, PDFs read back from S3): one at a time {single * 1000:.1f} ms each; "
          f"in batches of 200 {per_item * 1000:.1f} ms each, {scored + 100:,} items -> {per_item * count:.1f} s "
          f"for {count:,}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--upload-mb", type=int, default=100)
    parser.add_argument("--pending", type=int, default=10_000)
    parser.add_argument("--score", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    migrate()
    org, member, reviewer = seed()
    upload_through_django(org, member, args.upload_mb)  # first: the web path measured with nothing warmed up
    upload_big(org, member, args.upload_mb)
    prescore(org, member, args.score)
    pending_queue(org, member, reviewer, args.pending, args.runs)


if __name__ == "__main__":
    main()
