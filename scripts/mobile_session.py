#!/usr/bin/env python3
"""Play a mobile app's session against a running PIT (`make run`), with nothing but the standard library.

    scripts/mobile_session.py [--url http://127.0.0.1:8000] [--email member@demo.pit.example] [--password pit-demo-2026]

Signs in for a token, fetches My work, syncs tasks with updated_since, updates a task's progress offline-style
(If-Match with the ETag read earlier, Idempotency-Key so a retry is not applied twice), shows a stale write refused
with 412 and an unchanged list answered 304, then signs out. Exits 1 at the first answer that is not as expected.
"""

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid


class Api:
    def __init__(self, base: str):
        self.base, self.token = base.rstrip("/") + "/api/v1", None

    def call(self, method: str, path: str, body=None, **headers):
        request = urllib.request.Request(self.base + path, method=method, data=None if body is None else
                                         json.dumps(body).encode())  # fmt: skip
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", "application/json")
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
    status, _, _ = api.call("DELETE", "/auth/token/")
    expect("sign out", status, 204)
    status, _, _ = api.call("GET", "/me/")
    expect("the token no longer works", status, 401)


if __name__ == "__main__":
    main()
