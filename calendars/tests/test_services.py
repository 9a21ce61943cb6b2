"""Calendar writes: holidays from the library, editing them, project exceptions; audited, refused with a reason."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars import regions, services
from calendars.models import Holiday, OrgCalendar, ProjectDayException
from calendars.selectors import calendar_for_org, calendar_for_project
from pit.models import AuditLog
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def nsw(org, org_admin):
    services.save_calendar(actor=org_admin, org=org, weekdays=[0, 1, 2, 3, 4], country="AU", subdivision="NSW")
    return org


def test_a_year_of_public_holidays_loads_from_the_library_once(nsw, org_admin):
    expected = regions.public_holidays("AU", "NSW", 2026)
    assert (D(2026, 1, 26), "Australia Day") in expected and (D(2026, 10, 5), "Labour Day") in expected
    assert services.load_holidays(actor=org_admin, org=nsw, year=2026) == len(expected)
    assert list(Holiday.objects.for_org(nsw).values_list("date", "name")) == expected
    audits = AuditLog.objects.filter(table_name="calendar_holiday", action="CREATE")
    assert audits.count() == len(expected) and audits.first().after_state["name"]
    calendar = calendar_for_org(nsw)
    assert not calendar.is_working(D(2026, 1, 26)) and calendar.is_working(D(2026, 1, 27))
    labour_day = Holiday.objects.for_org(nsw).get(date=D(2026, 10, 5))
    services.remove_holiday(actor=org_admin, holiday=labour_day)
    assert services.load_holidays(actor=org_admin, org=nsw, year=2026) == 0  # a removed holiday stays removed
    assert not Holiday.objects.filter(date=D(2026, 10, 5)).exists()
    assert OrgCalendar.objects.get(org=nsw).holiday_years == [2026]


def test_a_new_region_replaces_the_library_holidays_and_keeps_the_ones_added_by_hand(nsw, org_admin):
    services.load_holidays(actor=org_admin, org=nsw, year=2026)
    services.add_holiday(actor=org_admin, org=nsw, day=D(2026, 3, 2), name="Depot shutdown")
    services.save_calendar(actor=org_admin, org=nsw, weekdays=[0, 1, 2, 3, 4], country="AU", subdivision="VIC")
    dates = dict(Holiday.objects.for_org(nsw).values_list("date", "name"))
    assert dates[D(2026, 3, 9)] == "Labour Day"  # Victoria's is in March
    assert D(2026, 10, 5) not in dates and dates[D(2026, 3, 2)] == "Depot shutdown"


def test_bad_calendar_settings_are_refused_with_a_reason_and_change_nothing(nsw, org_admin):
    cases = [
        ({"weekdays": [], "country": "AU"}, "at least one working weekday"),
        ({"weekdays": [0], "country": "XX"}, "“XX” is not a country the holidays library knows"),
        ({"weekdays": [0], "country": "AU", "subdivision": "ZZ"}, "Australia has no state or region “ZZ”"),
        ({"weekdays": [0], "country": "", "subdivision": "NSW"}, "Choose the country first"),
        ({"weekdays": [9], "country": "AU"}, "from 0 (Monday) to 6 (Sunday)"),
    ]
    for fields, message in cases:
        with pytest.raises(ValidationError, match=re.escape(message)):
            services.save_calendar(actor=org_admin, org=nsw, **fields)
    calendar = OrgCalendar.objects.get(org=nsw)
    assert (calendar.weekdays, calendar.country, calendar.subdivision) == ([0, 1, 2, 3, 4], "AU", "NSW")
    with pytest.raises(ValidationError, match="Choose a year from 1970 to 2199"):
        services.load_holidays(actor=org_admin, org=nsw, year=1812)


def test_holidays_are_added_renamed_and_removed_with_clear_refusals(org, org_admin):
    with pytest.raises(ValidationError, match="Choose the calendar's country first"):
        services.load_holidays(actor=org_admin, org=org, year=2026)
    holiday = services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name=" Depot day ")
    with pytest.raises(ValidationError, match="06 Jul 2026 is already a holiday: Depot day."):
        services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name="Again")
    with pytest.raises(ValidationError, match="Give the holiday a name"):
        services.rename_holiday(actor=org_admin, holiday=holiday, name="  ")
    services.rename_holiday(actor=org_admin, holiday=holiday, name="Founders' day")
    assert Holiday.objects.get(pk=holiday.pk).name == "Founders' day"
    assert not calendar_for_org(org).is_working(D(2026, 7, 6))
    services.remove_holiday(actor=org_admin, holiday=holiday)
    assert calendar_for_org(org).is_working(D(2026, 7, 6))
    actions = list(AuditLog.objects.filter(table_name="calendar_holiday").values_list("action", flat=True))
    assert sorted(actions) == ["CREATE", "DELETE", "UPDATE"]


def test_project_exceptions_override_the_organisation_calendar(org, org_admin, manager):
    project = ProjectFactory(org=org, owner=manager)
    services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name="Depot day")
    version = Project.objects.get(pk=project.pk).timeline_version
    services.add_exception(actor=manager, project=project, day=D(2026, 7, 4), working=True, note="Saturday pour")
    services.add_exception(actor=manager, project=project, day=D(2026, 7, 6), working=True)
    services.add_exception(actor=manager, project=project, day=D(2026, 7, 8), working=False)
    calendar = calendar_for_project(Project.objects.get(pk=project.pk))
    assert [calendar.is_working(D(2026, 7, day)) for day in (4, 5, 6, 7, 8)] == [True, False, True, True, False]
    assert not calendar_for_org(org).is_working(D(2026, 7, 6))  # only this project works the holiday
    assert Project.objects.get(pk=project.pk).timeline_version == version + 3  # its cached charts are stale
    cases = [
        (D(2026, 7, 7), True, "Tue 07 Jul 2026 is already a working day"),
        (D(2026, 7, 11), False, "Sat 11 Jul 2026 is already not a working day"),
        (D(2026, 7, 4), False, "already has an exception on 04 Jul 2026"),
    ]
    for day, working, message in cases:
        with pytest.raises(ValidationError, match=re.escape(message)):
            services.add_exception(actor=manager, project=project, day=day, working=working)
    assert ProjectDayException.objects.count() == 3
    services.remove_exception(actor=manager, exception=ProjectDayException.objects.get(date=D(2026, 7, 4)))
    assert not calendar_for_project(Project.objects.get(pk=project.pk)).is_working(D(2026, 7, 4))
    assert AuditLog.objects.filter(table_name="project_day_exception").count() == 4


def test_a_project_calendar_is_one_query_and_then_kept_for_the_request(nsw, org_admin, manager):
    services.load_holidays(actor=org_admin, org=nsw, year=2026)
    services.load_holidays(actor=org_admin, org=nsw, year=2027)
    project = Project.objects.get(pk=ProjectFactory(org=nsw, owner=manager).pk)
    with CaptureQueriesContext(connection) as queries:
        first = calendar_for_project(project)
        again = calendar_for_project(project)
    assert len(queries) == 1 and first is again
    assert not first.is_working(D(2027, 1, 26))
    with CaptureQueriesContext(connection) as queries:
        assert calendar_for_org(nsw.pk).weekdays == frozenset(range(5))
    assert len(queries) == 1
