import socket

import pytest
from django.db import connection


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.django_db
def test_healthz_reports_both_services_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up", "redis": "up", "backup": "stale"}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "up", "redis": "down", "backup": "stale"}


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_postgresql_is_down(client):
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=closed_port())
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "down", "redis": "up", "backup": "unknown"}


@pytest.mark.django_db
def test_healthz_says_when_the_last_good_backup_is_older_than_the_rpo(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from pit.models import JobRun

    settings.BACKUP_RPO_MINUTES = 60
    finished = timezone.now() - timedelta(minutes=59)
    JobRun.objects.create(name="backup", started_at=finished, finished_at=finished)
    assert client.get("/healthz").json()["backup"] == "ok"
    settings.BACKUP_RPO_MINUTES = 58
    assert client.get("/healthz").json()["backup"] == "stale"
