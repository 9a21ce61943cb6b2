"""The backup and restore drill: seed, back up, restore into an empty database, compare, sign in."""

import hashlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import User
from evidence import samples, storage
from evidence.tests.factories import uploaded
from pit import backup, demo
from pit.models import JobRun
from projects.models import Task

ROOT = Path(__file__).resolve().parents[2]
SIGN_IN = """
import os; os.environ["DJANGO_SETTINGS_MODULE"] = "pit.settings"
import django; django.setup()
from django.contrib.auth import authenticate
from django.test import RequestFactory
request = RequestFactory().post("/accounts/login/")
user = authenticate(request, username="admin@demo.pit.example", password=os.environ["DEMO_PASSWORD"])
print(user.email if user else "refused")
"""


@pytest.fixture
def empty_bucket():
    """A new empty bucket on the same S3 service: restores go into an empty one."""
    bucket = storage.bucket_storage().connection.Bucket(f"drill-{uuid.uuid4().hex[:8]}")
    bucket.create()
    yield bucket
    bucket.objects.all().delete()
    bucket.delete()


@pytest.fixture
def empty_database():
    """A new empty database on the same server, and the environment that points Django at it."""
    name = f"drill_{uuid.uuid4().hex[:8]}"
    params = settings.DATABASE_OWNER or connection.settings_dict
    admin = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_OWNER_URL": url}
    yield env
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.django_db(transaction=True)
def test_full_drill_restores_every_row_and_object_and_people_can_sign_in(
    tmp_path, empty_database, empty_bucket, capsys
):
    orgs = demo.seed_organisations(1)
    demo.seed_projects(orgs, projects=3, tasks=60, progress=False)
    admin = User.objects.get(email="admin@demo.pit.example")
    proof = samples.pdf("Drill evidence", "restored byte for byte")
    evidence = uploaded(admin, Task.objects.filter(project__org=orgs[0]).first(), "drill.pdf", proof)
    # The suite hashes with MD5 for speed; the restored site signs in with the real hasher.
    real_hash = PBKDF2PasswordHasher().encode(demo.DEMO_PASSWORD, "drill-salt")
    User.objects.filter(pk=admin.pk).update(password=real_hash)
    started = time.perf_counter()
    made = backup.backup(tmp_path)
    expected = backup.read_manifest(made.path)["tables"]
    assert expected["task"]["rows"] == 60 and expected["user"]["rows"] > 1

    empty_database["S3_BUCKET"] = empty_bucket.name
    restored = manage(empty_database, "pit_restore", str(made.path))
    drill_seconds = time.perf_counter() - started
    assert restored.returncode == 0, restored.stderr
    assert "every table's row count and digest match the backup" in restored.stdout
    env = {**empty_database, "DEMO_PASSWORD": demo.DEMO_PASSWORD}
    signed_in = subprocess.run([sys.executable, "-c", SIGN_IN], cwd=ROOT, env=env, capture_output=True)
    assert signed_in.stdout.decode().strip() == "admin@demo.pit.example", signed_in.stderr
    with psycopg.connect(empty_database["DATABASE_URL"]) as conn:
        tasks = conn.execute("SELECT count(*), sum(hashtextextended(t::text, 0)) FROM task t").fetchone()
    assert (tasks[0], str(tasks[1])) == (60, expected["task"]["digest"])
    assert JobRun.objects.get(name="backup").detail["ok"] is True
    restored_object = empty_bucket.Object(evidence.file_url).get()["Body"].read()
    assert hashlib.sha256(restored_object).hexdigest() == evidence.sha256
    with capsys.disabled():
        print(f"\nbackup/restore drill: {drill_seconds:.1f} s (back up {made.seconds:.1f} s, {made.bytes:,} bytes)")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, empty_database):
    made = backup.backup(tmp_path)
    with open(made.path / backup.DUMP, "r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00rot")
    result = manage(empty_database, "pit_restore", str(made.path))
    assert result.returncode == 1
    assert "backup damaged: database.dump is missing or does not match its SHA-256" in result.stderr
    with psycopg.connect(empty_database["DATABASE_URL"]) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(tmp_path):
    made = backup.backup(tmp_path)
    with pytest.raises(CommandError, match="has tables: restore into an empty one"):
        call_command("pit_restore", str(made.path))


def test_restore_of_a_directory_that_is_no_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match="is not a PIT backup: it has no manifest.json"):
        call_command("pit_restore", str(tmp_path))


def test_prune_keeps_the_newest_and_drops_abandoned_partial_backups(tmp_path):
    for stamp in ("20261101T000000Z", "20261102T000000Z", "20261103T000000Z"):
        (tmp_path / f"pit-{stamp}").mkdir()
        (tmp_path / f"pit-{stamp}" / backup.MANIFEST).write_text("{}")
    abandoned, running = tmp_path / "pit-20261001T000000Z.partial", tmp_path / "pit-20261104T000000Z.partial"
    abandoned.mkdir(), running.mkdir()
    os.utime(abandoned, (time.time() - 2 * 86400,) * 2)
    gone = backup.prune(tmp_path, keep=2)
    assert sorted(p.name for p in gone) == ["pit-20261001T000000Z.partial", "pit-20261101T000000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pit-20261102T000000Z", "pit-20261103T000000Z", "pit-20261104T000000Z.partial"
    ]  # fmt: skip


def test_a_backup_run_never_deletes_every_backup(tmp_path):
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("pit_backup", "--target", str(tmp_path), "--keep", "0")


def test_pruning_refuses_to_delete_every_backup(tmp_path):
    with pytest.raises(backup.BackupError, match="keep at least one backup"):
        backup.prune(tmp_path, keep=0)


@pytest.mark.parametrize("key", ["/etc/cron.d/job", "evidence/../../../escape", "evidence/1/"])
def test_an_object_key_that_would_land_outside_the_backup_is_refused(tmp_path, key):
    with pytest.raises(backup.BackupError, match="does not name a file inside the backup"):
        backup._local_path(tmp_path, "evidence", key)
    assert backup._local_path(tmp_path, "evidence", "evidence/1/2/abc") == tmp_path / "evidence/evidence/1/2/abc"


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_root_only(tmp_path):
    made = backup.backup(tmp_path)
    assert made.path.stat().st_mode & 0o777 == 0o700
