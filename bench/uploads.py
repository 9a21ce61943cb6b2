"""Resumable uploads under gunicorn on loopback, against the embedded S3: MB/s of one large file sent in parts one
after another, then with several parts in flight, and how long completion (assembly + SHA-256 read back) takes.

python -m pit.embedded test -- .venv/bin/python bench/uploads.py [--mb 50 --part-mb 8 --parallel 4 --workers 4]
"""

import argparse
import hashlib
import http.client
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("EVIDENCE_MAX_UPLOAD_MB", "1000")

from api_load import free_port, start_gunicorn  # after ALLOWED_HOSTS: importing sets Django up
from harness import migrate


def seed():
    from accounts.models import User
    from pit import demo
    from projects.models import Task

    orgs = demo.seed_organisations(1, extra_staff=2)
    demo.seed_projects(orgs, projects=2, tasks=40, seed=5)
    member = User.objects.get(email="member@demo.pit.example")
    tasks = list(Task.objects.filter(project__org=orgs[0]).order_by("pk")[:3])
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(owner=member)
    return member, tasks


def call(port: int, method: str, path: str, token: str, body: bytes = b"", kind: str = "application/json"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": kind, "Content-Length": str(len(body))}
    conn.request(method, "/api/v1" + path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status >= 300:
        raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
    return json.loads(data) if data else None


def upload(port: int, token: str, task_id: int, data: bytes, part_size: int, parallel: int, label: str) -> None:
    began = time.perf_counter()
    start = {"task": task_id, "filename": "survey.mp4", "size": len(data), "part_size": part_size,
             "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    upload_id = call(port, "POST", "/uploads/", token, json.dumps(start).encode())["id"]
    count = -(-len(data) // part_size)

    def send(number: int) -> None:
        part = data[(number - 1) * part_size : number * part_size]
        call(port, "PUT", f"/uploads/{upload_id}/parts/{number}/", token, part, "application/octet-stream")

    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(send, range(1, count + 1)))
    sent = time.perf_counter()
    evidence = call(port, "POST", f"/uploads/{upload_id}/complete/", token)
    done = time.perf_counter()
    assert evidence["sha256"] == start["sha256"]
    mb = len(data) / 1048576
    print(f"{label:<5} {mb:3.0f} MB in {count:3d} parts of {part_size / 1048576:.0f} MB, {parallel} in flight: "
          f"{mb / (done - began):6.1f} MB/s overall ({done - began:5.2f} s), parts {mb / (sent - began):6.1f} MB/s, "
          f"complete {done - sent:4.2f} s (assembly + SHA-256 read back + evidence row)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--part-mb", type=int, default=8)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    migrate()
    from api import token_for

    from evidence import samples

    member, tasks = seed()
    token = token_for(member)
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        runs = [(1, "cold"), (1, "warm"), (args.parallel, "warm")]  # cold: first requests of workers and S3
        for task, (parallel, label) in zip(tasks, runs, strict=False):
            photo = samples.photo("bench")  # a real JPEG head, so the type sniffs as a photo; random bytes after
            data = photo + os.urandom(args.mb * 1048576 - len(photo))
            upload(port, token, task.pk, data, args.part_mb * 1048576, parallel, label)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
