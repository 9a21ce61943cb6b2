"""Which working calendar applies to an organisation or a project, and what the calendar pages show."""

from datetime import date

from django.db import connection

from calendars.models import WEEKDAYS, Holiday, OrgCalendar, ProjectDayException
from calendars.workdays import WorkingCalendar

# One statement whatever the calendar holds: the weekdays, the holidays, and (for a project) its exceptions.
CALENDAR_SQL = """
SELECT c.weekdays,
       ARRAY(SELECT h.date FROM calendar_holiday h WHERE h.org_id = %(org)s),
       ARRAY(SELECT e.date FROM project_day_exception e WHERE e.project_id = %(project)s AND NOT e.working),
       ARRAY(SELECT e.date FROM project_day_exception e WHERE e.project_id = %(project)s AND e.working)
FROM (SELECT 1) one LEFT JOIN org_calendar c ON c.org_id = %(org)s
"""


def _read(org_id: int, project_id: int | None) -> WorkingCalendar:
    with connection.cursor() as cursor:
        cursor.execute(CALENDAR_SQL, {"org": org_id, "project": project_id})
        weekdays, holidays, closed, opened = cursor.fetchone()
    # A project's working exception overrides an organisation's holiday on that date.
    closed = (set(holidays) - set(opened)) | set(closed)
    return WorkingCalendar(weekdays=frozenset(weekdays or range(5)), closed=tuple(closed), opened=tuple(opened))


def calendar_for_org(org) -> WorkingCalendar:
    """The organisation's calendar (an organisation or its id): one query."""
    return _read(getattr(org, "pk", org), None)


def calendar_for_project(project) -> WorkingCalendar:
    """The project's calendar: its organisation's, with the project's own exceptions. One query, then kept on the
    project object for the rest of the request (the calendar services drop it when they change the calendar)."""
    cached = getattr(project, "_working_calendar", None)
    if cached is None:
        cached = project._working_calendar = _read(project.org_id, project.pk)
    return cached


def calendar_page(org, today: date) -> dict:
    """The organisation's calendar as its page shows it: the settings row (unsaved when there is none yet) and
    the holidays of the years around today, by year."""
    calendar = OrgCalendar.objects.for_org(org).first() or OrgCalendar(org=org)
    holidays = list(Holiday.objects.for_org(org).filter(date__year__gte=today.year - 1).order_by("date"))
    years = sorted({today.year, today.year + 1, *(h.date.year for h in holidays)})
    return {
        "calendar": calendar,
        "working_days": [name for i, name in enumerate(WEEKDAYS) if i in calendar.weekdays],
        "years": [
            (year, [h for h in holidays if h.date.year == year], year in calendar.holiday_years) for year in years
        ],
    }


def project_exceptions(project) -> list[ProjectDayException]:
    return list(ProjectDayException.objects.filter(project=project).order_by("date"))
