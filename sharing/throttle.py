"""Passcode guessing is throttled per link and per address with counters in the cache (Redis: atomic increments)."""

from django.conf import settings
from django.core.cache import cache


def _keys(link_id: int, ip: str | None) -> list[str]:
    return [f"sharing:pass:link:{link_id}", f"sharing:pass:ip:{ip or 'unknown'}"]


def locked(link_id: int, ip: str | None) -> bool:
    counts = cache.get_many(_keys(link_id, ip))
    return any(count >= settings.SHARE_PASSCODE_FAILURES for count in counts.values())


def record_failure(link_id: int, ip: str | None) -> None:
    for key in _keys(link_id, ip):
        cache.add(key, 0, timeout=settings.SHARE_PASSCODE_WINDOW)  # the window starts at the first failure
        cache.incr(key)
