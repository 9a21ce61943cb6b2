"""Writes to working calendars. Each validates, saves and audits in one transaction, and bumps the timeline version
of every project the change reaches: their cached Gantt charts (critical path, late starts) count working days."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from calendars import regions
from calendars.models import Holiday, OrgCalendar, ProjectDayException
from calendars.selectors import calendar_for_org
from pit import audit
from projects.models import Project

FIRST_YEAR, LAST_YEAR = 1970, 2199  # as far as the timeline goes


def _replan(**scope) -> None:
    Project.all_objects.filter(**scope).update(timeline_version=F("timeline_version") + 1)


def _locked_calendar(org) -> OrgCalendar:
    calendar, _ = OrgCalendar.objects.select_for_update().get_or_create(org=org)
    return calendar


def _check_weekdays(weekdays) -> list[int]:
    days = sorted({int(day) for day in weekdays})
    if not days:
        raise ValidationError({"weekdays": "Choose at least one working weekday."})
    if not all(0 <= day <= 6 for day in days):
        raise ValidationError({"weekdays": "Weekdays run from 0 (Monday) to 6 (Sunday)."})
    return days


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"Choose a year from {FIRST_YEAR} to {LAST_YEAR}."})


@transaction.atomic
def save_calendar(*, actor, org, weekdays, country: str = "", subdivision: str = "") -> OrgCalendar:
    """Set the working weekdays and the holidays' region. A new region replaces the holidays loaded from the library
    (the ones added by hand stay) with the new region's, for the same years."""
    days = _check_weekdays(weekdays)
    country, subdivision = country.strip().upper(), subdivision.strip()
    regions.check(country, subdivision)
    calendar = _locked_calendar(org)
    before = audit.snapshot(calendar)
    moved = (calendar.country, calendar.subdivision) != (country, subdivision)
    calendar.weekdays, calendar.country, calendar.subdivision = days, country, subdivision
    years = sorted(calendar.holiday_years)
    if moved:
        _forget_library_holidays(actor, org)
        calendar.holiday_years = []
    calendar.save()
    audit.record(actor=actor, org=org, action="UPDATE", instance=calendar, before=before,
                 after=audit.snapshot(calendar))  # fmt: skip
    if moved:
        for year in years:
            _load(actor, org, calendar, year)
    _replan(org=org)
    return calendar


def _forget_library_holidays(actor, org) -> None:
    rows = Holiday.objects.for_org(org).filter(from_library=True)
    ids = list(rows.values_list("pk", flat=True))
    rows.delete()
    audit.record_rows(actor=actor, org=org, action="DELETE", table_name=Holiday._meta.db_table, record_ids=ids,
                      after={"why": "the calendar's region changed"})  # fmt: skip


@transaction.atomic
def load_holidays(*, actor, org, year: int) -> int:
    """Copy the region's public holidays of `year` into the organisation's calendar; returns how many were added.
    A year is loaded once: loading it again adds nothing (a holiday someone removed stays removed)."""
    _check_year(year)
    calendar = _locked_calendar(org)
    if not calendar.country:
        raise ValidationError({"year": "Choose the calendar's country first: public holidays depend on it."})
    if year in calendar.holiday_years:
        return 0
    added = _load(actor, org, calendar, year)
    _replan(org=org)
    return added


def _load(actor, org, calendar: OrgCalendar, year: int) -> int:
    taken = set(Holiday.objects.for_org(org).filter(date__year=year).values_list("date", flat=True))
    new = [
        Holiday(org=org, date=day, name=name, from_library=True)
        for day, name in regions.public_holidays(calendar.country, calendar.subdivision, year)
        if day not in taken
    ]
    Holiday.objects.bulk_create(new)
    audit.record_each(actor=actor, org=org, action="CREATE", table_name=Holiday._meta.db_table,
                      afters={h.pk: audit.snapshot(h) for h in new})  # fmt: skip
    calendar.holiday_years = sorted({*calendar.holiday_years, year})
    calendar.save(update_fields=["holiday_years", "updated_at"])
    return len(new)


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the holiday a name."})
    return name


@transaction.atomic
def add_holiday(*, actor, org, day: date, name: str) -> Holiday:
    _check_year(day.year)
    holiday = Holiday(org=org, date=day, name=_name(name))
    try:
        with transaction.atomic():
            holiday.save()
    except IntegrityError:
        existing = Holiday.objects.for_org(org).get(date=day)
        raise ValidationError({"day": f"{day:%d %b %Y} is already a holiday: {existing.name}."}) from None
    audit.record(actor=actor, org=org, action="CREATE", instance=holiday, after=audit.snapshot(holiday))
    _replan(org=org)
    return holiday


@transaction.atomic
def rename_holiday(*, actor, holiday: Holiday, name: str) -> Holiday:
    before = audit.snapshot(holiday)
    holiday.name = _name(name)
    holiday.save(update_fields=["name", "updated_at"])
    audit.record(actor=actor, org=holiday.org_id, action="UPDATE", instance=holiday, before=before,
                 after=audit.snapshot(holiday))  # fmt: skip
    return holiday


@transaction.atomic
def remove_holiday(*, actor, holiday: Holiday) -> None:
    before, pk, org_id = audit.snapshot(holiday), holiday.pk, holiday.org_id
    holiday.delete()
    audit.record(actor=actor, org=org_id, action="DELETE", instance=holiday, record_id=pk, before=before)
    _replan(org_id=org_id)


@transaction.atomic
def add_exception(*, actor, project, day: date, working: bool, note: str = "") -> ProjectDayException:
    """Make `day` working (or not) for this project only. Refused when it would change nothing."""
    _check_year(day.year)
    if ProjectDayException.objects.filter(project=project, date=day).exists():
        raise ValidationError({"day": f"This project already has an exception on {day:%d %b %Y}: remove it first."})
    if calendar_for_org(project.org_id).is_working(day) == working:
        state = "a working day" if working else "not a working day"
        raise ValidationError({"day": f"{day:%a %d %b %Y} is already {state} in the organisation's calendar."})
    exception = ProjectDayException.objects.create(project=project, date=day, working=working, note=note.strip())
    audit.record(actor=actor, org=project.org_id, action="CREATE", instance=exception,
                 after=audit.snapshot(exception))  # fmt: skip
    _changed(project)
    return exception


@transaction.atomic
def remove_exception(*, actor, exception: ProjectDayException) -> None:
    before, pk, project = audit.snapshot(exception), exception.pk, exception.project
    exception.delete()
    audit.record(actor=actor, org=project.org_id, action="DELETE", instance=exception, record_id=pk, before=before)
    _changed(project)


def _changed(project) -> None:
    project.__dict__.pop("_working_calendar", None)
    _replan(pk=project.pk)
