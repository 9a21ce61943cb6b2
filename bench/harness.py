"""What every benchmark needs: Django set up with production settings, seeded data, and a page timer."""

import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")
os.environ.setdefault("DEBUG", "0")  # measure what production runs: no debug toolbar of templates or SQL logging
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # the test client speaks plain HTTP

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def migrate() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production serves hashed static names


@dataclass
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    queries: int
    bytes: int
    peak_kib: int

    def row(self) -> str:
        return (
            f"{self.name:<44} {self.median_ms:>9.1f} {self.p95_ms:>9.1f} {self.queries:>8} "
            f"{self.bytes / 1024:>9.0f} {self.peak_kib:>9}"
        )


HEADER = f"{'page':<44} {'median ms':>9} {'p95 ms':>9} {'queries':>8} {'KiB':>9} {'peak KiB':>9}"


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def measure(client: Client, name: str, url: str, runs: int, before_each=None) -> Figure:
    """Median and p95 wall time of `runs` renders after warming up; queries and peak Python memory of one more.

    `before_each` runs (untimed) before every render, e.g. to make a cache stale.
    """
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        if before_each:
            before_each()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    if before_each:
        before_each()
    executed = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: executed.append(sql) or execute(
            sql, params, many, context)):  # fmt: skip
        response = client.get(url)
    tracemalloc.start()
    if before_each:
        before_each()
    client.get(url)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Figure(name, statistics.median(times), p95, len(executed), len(response.content), peak // 1024)
