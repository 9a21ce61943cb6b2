"""The suite runs on the real thing: PostgreSQL 16 or newer, and production settings that pass --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_suite_runs_on_postgresql_16_or_newer():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 160000


def run_deploy_check(**overrides):
    production = {
        "DEBUG": "0",
        "SECRET_KEY": "x7!" + "k2#p9@v4$" * 6,
        "ALLOWED_HOSTS": "pit.example.com",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    env = {"PATH": os.environ["PATH"], **production, **overrides}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = run_deploy_check()
    assert result.returncode == 0, result.stderr


def test_check_deploy_fails_on_development_settings():
    result = run_deploy_check(DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on in deployment


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_deploy_check(SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
