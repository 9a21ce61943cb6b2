#!/usr/bin/env python3
"""Play a mobile app's session against a running PIT (`make run`), with the standard library and Pillow (the
project's .venv has it).

    .venv/bin/python scripts/mobile_session.py [--url http://127.0.0.1:8000] [--email member@demo.pit.example]
        [--password pit-demo-2026] [--photo-mb N]

Signs in for a token, fetches My work, syncs tasks with updated_since, updates a task's progress offline-style
(If-Match with the ETag read earlier, Idempotency-Key so a retry is not applied twice), shows a stale write refused
with 412 and an unchanged list answered 304, uploads a photo resumably (a real JPEG made with Pillow, sent in 5 MiB
parts; the connection drops in the middle of part 2, the app asks the server which parts it holds and sends the
missing one again, then completes with an Idempotency-Key and retries the completion), reads its notifications
(list, unread count, mark one read), then signs out. Exits 1 at the first answer that is not as expected.
`--photo-mb N` pads the photo to N MB (random bytes after the JPEG's end) to time a large upload.
"""

import argparse
import hashlib
import http.client
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from PIL import Image

PART = 5 * 1024 * 1024  # the smallest part S3 takes (but the last)


class Api:
    def __init__(self, base: str):
        self.base, self.token = base.rstrip("/") + "/api/v1", None

    def call(self, method: str, path: str, body=None, *, raw: bytes | None = None, **headers):
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, method=method, data=data)
        request.add_header("Accept", "application/json")
        if body is not None or raw is not None:
            request.add_header("Content-Type", "application/json" if raw is None else "application/octet-stream")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in headers.items():
            request.add_header(name.replace("_", "-"), value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, response.headers, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, error.headers, json.loads(raw) if raw else None


def expect(step: str, status: int, wanted: int, detail: str = "") -> None:
    print(f"{'ok ' if status == wanted else 'BAD'} {status} {step}{': ' + detail if detail else ''}")
    if status != wanted:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--email", default="member@demo.pit.example")
    parser.add_argument("--password", default="pit-demo-2026")
    parser.add_argument("--photo-mb", type=float, default=0, help="pad the photo to this many MB")
    args = parser.parse_args()
    api = Api(args.url)

    status, _, body = api.call("POST", "/auth/token/", {"email": args.email, "password": args.password,
                                                        "device_name": "mobile-session script"})  # fmt: skip
    expect("sign in", status, 201, f"token {body and body.get('prefix')}…, expires {body and body.get('expires_at')}")
    api.token = body["token"]

    status, headers, work = api.call("GET", "/my-work/")
    expect("my work", status, 200, ", ".join(f"{g['key']} {g['total']}" for g in work["groups"]))
    status, _, _ = api.call("GET", "/my-work/", If_None_Match=headers["ETag"])
    expect("my work again, unchanged", status, 304)
    tasks = [t for group in work["groups"] for t in group["tasks"] if t["can_update"]]
    if not tasks:
        sys.exit("nothing in My work to update: sign in as someone with open tasks")

    status, _, first_sync = api.call("GET", "/tasks/?mine=true&page_size=100")
    expect("first sync of my tasks", status, 200, f"{len(first_sync['results'])} tasks")
    task_id = tasks[0]["id"]
    status, headers, task = api.call("GET", f"/tasks/{task_id}/")
    etag = headers["ETag"]
    expect("read a task", status, 200, f"“{task['name']}” at {task['progress_percent']} %, ETag {etag}")

    progress = 50 if task["progress_percent"] != 50 else 60
    key = str(uuid.uuid4())
    status, headers, changed = api.call("POST", f"/tasks/{task_id}/progress/", {"progress_percent": progress},
                                        If_Match=etag, Idempotency_Key=key)  # fmt: skip
    expect("update progress (If-Match, Idempotency-Key)", status, 200, f"now {changed['progress_percent']} %")
    status, headers, again = api.call("POST", f"/tasks/{task_id}/progress/", {"progress_percent": progress},
                                      If_Match=etag, Idempotency_Key=key)  # fmt: skip
    expect("retry after a lost answer", status, 200, f"replayed: {headers.get('Idempotent-Replayed')}")
    status, _, refused = api.call("POST", f"/tasks/{task_id}/progress/", {"progress_percent": 10},
                                  If_Match=etag, Idempotency_Key=str(uuid.uuid4()))  # fmt: skip
    expect("a stale offline edit", status, 412, refused["message"])

    status, _, delta = api.call("GET", f"/tasks/?updated_since={first_sync['server_time'].replace('+', '%2B')}")
    expect("sync since the first", status, 200,
           f"{len(delta['results'])} changed, {len(delta['deleted'])} deleted")  # fmt: skip
    upload_photo(api, task_id, args.photo_mb)
    read_notifications(api)
    status, _, _ = api.call("DELETE", "/auth/token/")
    expect("sign out", status, 204)
    status, _, _ = api.call("GET", "/me/")
    expect("the token no longer works", status, 401)


def photo(pad_mb: float) -> bytes:
    """A real JPEG of camera noise (about 11 MB: three parts), padded to `pad_mb` MB when asked."""
    size = (4000, 3000)
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    data = out.getvalue()
    return data + os.urandom(max(0, int(pad_mb * 1024 * 1024) - len(data)))


def drop_mid_part(api, path: str, part: bytes) -> None:
    """Send a part's headers and half its bytes, then lose the connection (a phone going into a tunnel)."""
    url = urllib.parse.urlsplit(api.base + path)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    connection.putrequest("PUT", url.path)
    for name, value in (("Authorization", f"Bearer {api.token}"), ("Content-Type", "application/octet-stream"),
                        ("Content-Length", str(len(part)))):  # fmt: skip
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(part[: len(part) // 2])
    connection.close()


def upload_photo(api, task_id: int, pad_mb: float) -> None:
    data = photo(pad_mb)
    digest = hashlib.sha256(data).hexdigest()
    began = time.perf_counter()
    status, _, upload = api.call("POST", "/uploads/", {"task": task_id, "filename": "site-photo.jpg", "size": len(data),
                                 "sha256": digest, "content_type": "image/jpeg", "part_size": PART})  # fmt: skip
    expect("start a resumable upload", status, 201,
           f"{len(data) / 1048576:.1f} MB JPEG in {upload and upload.get('part_count')} parts")  # fmt: skip
    path = f"/uploads/{upload['id']}"
    parts = {number: data[(number - 1) * PART : number * PART] for number in range(1, upload["part_count"] + 1)}
    for number, part in parts.items():
        if number == 2:
            drop_mid_part(api, f"{path}/parts/2/", part)
            print(f"--  connection lost in the middle of part 2 ({len(part) // 2:,} of {len(part):,} bytes sent)")
            continue
        status, _, _ = api.call("PUT", f"{path}/parts/{number}/", raw=part)
        expect(f"part {number}", status, 200)
    status, _, state = api.call("GET", f"{path}/")
    expect("ask which parts the server holds", status, 200,
           f"has {[p['number'] for p in state['parts']]}, missing {state['missing']}")  # fmt: skip
    for number in state["missing"]:
        status, _, sent = api.call("PUT", f"{path}/parts/{number}/", raw=parts[number])
        expect(f"part {number} again", status, 200, f"sha256 {sent['sha256'][:12]}…")
    key, completing = str(uuid.uuid4()), time.perf_counter()
    status, _, evidence = api.call("POST", f"{path}/complete/", Idempotency_Key=key)
    done = time.perf_counter()
    expect("complete (SHA-256 checked)", status, 201, f"evidence {evidence.get('id')}, {evidence.get('file_type')}, "
           f"sha256 matches: {evidence.get('sha256') == digest}; {len(data) / 1048576 / (done - began):.1f} MB/s "
           f"over {done - began:.1f} s, of which completing {done - completing:.1f} s")  # fmt: skip
    status, headers, again = api.call("POST", f"{path}/complete/", Idempotency_Key=key)
    same = again["id"] == evidence["id"]
    expect("retry the completion after a lost answer", status, 201,
           f"same evidence: {same}, replayed: {headers.get('Idempotent-Replayed')}")  # fmt: skip


def read_notifications(api) -> None:
    status, _, inbox = api.call("GET", "/notifications/?page_size=5")
    expect("notifications", status, 200, "; ".join(n["title"][:40] for n in inbox["results"][:3]) or "none")
    status, _, count = api.call("GET", "/notifications/unread-count/")
    expect("unread count", status, 200, str(count["unread"]))
    status, _, unread = api.call("GET", "/notifications/?unread=true&page_size=1")
    expect("newest unread", status, 200, unread["results"][0]["title"][:60] if unread["results"] else "none")
    if unread["results"]:
        status, _, read = api.call("POST", f"/notifications/{unread['results'][0]['id']}/read/")
        expect("mark one read", status, 200, f"read at {read['read_at']}")
        status, _, after = api.call("GET", "/notifications/unread-count/")
        expect("unread count again", status, 200, f"{count['unread']} → {after['unread']}")


if __name__ == "__main__":
    main()
