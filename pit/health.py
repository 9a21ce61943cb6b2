"""Liveness of the services PIT needs, for /healthz and the container orchestrator."""

import redis
from django.conf import settings
from django.db import connections


def database_up(alias: str = "default") -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to reach the database means "down", whatever the driver raised
        return False


def redis_up(url: str | None = None) -> bool:
    client = redis.Redis.from_url(url or settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
