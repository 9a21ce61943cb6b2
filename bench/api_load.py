"""The API under gunicorn on loopback: one client, then many at once for a bounded time (stdlib threads, no load
tool to install).

python -m pit.embedded test -- .venv/bin/python bench/api_load.py [--projects 500 --tasks 100000]
    [--clients 32 --seconds 30 --workers 4 --think 1]

Seeds the scale database (as bench/api.py), starts gunicorn against it, and times GET /api/v1/my-work/ and a
100-row page of /api/v1/tasks/?updated_since=… with a device token: medians for one client, then p50/p95,
requests per second and errors for --clients clients over --seconds seconds. Each client waits --think seconds
on average (uniform between half and one and a half times it) between requests, as a phone does between screens
(a locust user's `wait_time`); then the same crowd again with no pause at all, which measures the throughput
ceiling of this machine rather than what people see.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

from api import changes_since, seed, token_for  # after ALLOWED_HOSTS: importing sets Django up
from harness import migrate

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "pit.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def timed_get(conn, path: str, headers: dict) -> tuple[float, int]:
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return (time.perf_counter() - started) * 1000, response.status


def single(port: int, paths: list[str], headers: dict, runs: int = 50) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path in paths:
        for _ in range(5):
            timed_get(conn, path, headers)
        times = [timed_get(conn, path, headers)[0] for _ in range(runs)]
        print(f"one client   {path[:60]:<60} median {statistics.median(times):7.1f} ms")


def crowd(port: int, paths: list[str], headers: dict, clients: int, seconds: float, think: float) -> None:
    times, errors, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad, n, pause = [], 0, index, random.Random(index)
        while time.monotonic() < deadline:
            if think:
                time.sleep(pause.uniform(0.5 * think, 1.5 * think))
            try:
                elapsed, status = timed_get(conn, paths[n % len(paths)], headers)
            except (OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                bad += 1
                continue
            mine.append(elapsed)
            bad += status != 200
            n += 1
        with lock:
            times.extend(mine)
            errors.append(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    rate, p50 = len(times) / seconds, statistics.median(times)
    print(f"{clients} clients, {think:g} s think time, {seconds:.0f} s: {len(times)} requests ({rate:.0f}/s), "
          f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, errors {sum(errors)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a client's requests")
    args = parser.parse_args()
    migrate()
    member, _ = seed(args.projects, args.tasks)
    headers = {"Authorization": f"Bearer {token_for(member)}"}
    paths = ["/api/v1/my-work/", f"/api/v1/tasks/?updated_since={changes_since(member.org)}&page_size=100"]
    server = start_gunicorn(free_port(), args.workers)
    port = int(server.args[3].rsplit(":", 1)[1])
    try:
        single(port, paths, headers)
        crowd(port, paths, headers, args.clients, args.seconds, args.think)
        crowd(port, paths, headers, args.clients, args.seconds, 0)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
