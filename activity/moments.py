"""The moment a comparison starts from: a preset (yesterday, last week, last month) or a date and time the person
typed, read in the organisation's time zone. Baselines pass their capture moment as a datetime."""

from calendar import monthrange
from datetime import datetime, time, timedelta

from django.utils import timezone

PRESETS = {"yesterday": "yesterday", "week": "last week", "month": "last month"}
FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")
BAD = "Enter a date and time such as 2026-03-03 09:00, or choose yesterday, last week or last month."
FUTURE = "Choose a moment in the past."


class BadMoment(ValueError):
    pass


def parse(value: str, org, now: datetime | None = None) -> datetime | None:
    """The UTC moment `value` names for `org`; None when nothing was asked; BadMoment (with a message) otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    now = now or timezone.now()
    local = now.astimezone(org.tz)
    if value == "yesterday":
        return datetime.combine(local.date() - timedelta(days=1), time(), tzinfo=org.tz)
    if value == "week":
        return now - timedelta(days=7)
    if value == "month":
        return _month_before(local)
    moment = _typed(value, org)
    if moment > now:
        raise BadMoment(FUTURE)
    return moment


def _month_before(local: datetime) -> datetime:
    """The same day and time a calendar month earlier (the month's last day when it is shorter)."""
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return local.replace(year=year, month=month, day=min(local.day, monthrange(year, month)[1]))


def _typed(value: str, org) -> datetime:
    for pattern in FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=org.tz)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(value)  # a baseline's capture moment, with its offset
    except ValueError:
        raise BadMoment(BAD) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=org.tz)


def label(value: str, moment: datetime, org) -> str:
    """How the page names the moment: "last week (20 Nov 2026 09:00)"."""
    shown = f"{moment.astimezone(org.tz):%-d %b %Y %H:%M}"
    return f"{PRESETS[value]} ({shown})" if value in PRESETS else shown
