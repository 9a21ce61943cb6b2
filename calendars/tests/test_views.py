"""The calendar pages: org admins edit the organisation's calendar, planners a project's exceptions; others read."""

import datetime

import pytest

from calendars import services
from calendars.models import Holiday, OrgCalendar, ProjectDayException
from pit.models import AuditLog
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_org_admin_sets_the_calendar_and_loads_a_year_of_holidays(client, org, org_admin):
    client.force_login(org_admin)
    page = client.get("/calendar/").content.decode()
    assert "Working calendar of Harbour Water" in page and 'name="weekdays"' in page
    response = client.post("/calendar/", {"weekdays": ["0", "1", "2", "3", "5"], "country": "AU",
                                          "subdivision": "NSW"})  # fmt: skip
    assert response.status_code == 302
    calendar = OrgCalendar.objects.get(org=org)
    assert (calendar.weekdays, calendar.country, calendar.subdivision) == ([0, 1, 2, 3, 5], "AU", "NSW")
    assert AuditLog.objects.filter(table_name="org_calendar", action="UPDATE").exists()
    loaded = client.post("/calendar/holidays/load/", {"year": "2026"}, follow=True).content.decode()
    assert "Loaded 13 public holidays of 2026." in loaded and "Australia Day" in loaded and "Mon 26 Jan 2026" in loaded
    again = client.post("/calendar/holidays/load/", {"year": "2026"}, follow=True).content.decode()
    assert "were loaded before: nothing to add" in again


def test_bad_input_shows_its_error_in_place_and_changes_nothing(client, org, org_admin):
    client.force_login(org_admin)
    services.save_calendar(actor=org_admin, org=org, weekdays=[0, 1, 2, 3, 4], country="AU", subdivision="NSW")
    bad = client.post("/calendar/", {"weekdays": ["0"], "country": "AU", "subdivision": "Narnia"})
    assert bad.status_code == 400 and "Australia has no state or region “Narnia”" in bad.content.decode()
    none = client.post("/calendar/", {"country": "AU"})
    assert none.status_code == 400 and "Choose at least one working weekday." in none.content.decode()
    assert OrgCalendar.objects.get(org=org).subdivision == "NSW"
    year = client.post("/calendar/holidays/load/", {"year": "1066"})
    assert year.status_code == 400 and "greater than or equal to 1970" in year.content.decode()
    holiday = services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name="Depot day")
    twice = client.post("/calendar/holidays/add/", {"day": "2026-07-06", "name": "Again"})
    assert twice.status_code == 400 and "06 Jul 2026 is already a holiday: Depot day." in twice.content.decode()
    blank = client.post(f"/calendar/holidays/{holiday.pk}/rename/", {"name": ""})
    assert blank.status_code == 400 and "Give the holiday a name." in blank.content.decode()
    assert list(Holiday.objects.values_list("name", flat=True)) == ["Depot day"]


def test_holidays_are_added_renamed_and_removed_on_the_page(client, org, org_admin):
    client.force_login(org_admin)
    added = client.post("/calendar/holidays/add/", {"day": "2026-07-06", "name": "Depot day"}, follow=True)
    assert "Added Depot day on 06 Jul 2026." in added.content.decode()
    holiday = Holiday.objects.get(org=org)
    renamed = client.post(f"/calendar/holidays/{holiday.pk}/rename/", {"name": "Founders' day"}, follow=True)
    assert "Founders&#x27; day" in renamed.content.decode() and "added by hand" in renamed.content.decode()
    removed = client.post(f"/calendar/holidays/{holiday.pk}/remove/", follow=True).content.decode()
    assert "is a working day again" in removed and not Holiday.objects.exists()


def test_others_read_the_calendar_but_cannot_change_it(client, org, org_admin, member, manager, other_org):
    services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name="Depot day")
    holiday = Holiday.objects.get()
    for person in (member, manager):
        client.force_login(person)
        page = client.get("/calendar/").content.decode()
        assert "Depot day" in page and "Monday, Tuesday, Wednesday, Thursday, Friday" in page
        assert 'name="weekdays"' not in page and "Rename" not in page
        assert client.post("/calendar/", {"weekdays": ["0"]}).status_code == 403
        assert client.post("/calendar/holidays/add/", {"day": "2026-07-07", "name": "X"}).status_code == 403
        assert client.post(f"/calendar/holidays/{holiday.pk}/remove/").status_code == 403
    assert Holiday.objects.count() == 1 and not OrgCalendar.objects.exists()
    foreign = services.add_holiday(actor=org_admin, org=other_org, day=D(2026, 7, 7), name="Elsewhere")
    client.force_login(org_admin)
    assert "Elsewhere" not in client.get("/calendar/").content.decode()
    assert client.post(f"/calendar/holidays/{foreign.pk}/rename/", {"name": "Mine"}).status_code == 404
    assert client.post(f"/calendar/holidays/{foreign.pk}/remove/").status_code == 404
    assert Holiday.objects.get(pk=foreign.pk).name == "Elsewhere"


def test_a_planner_edits_the_project_exceptions(client, org, manager, member, other_org):
    project = ProjectFactory(org=org, owner=manager, name="Depot")
    url = f"/projects/{project.pk}/calendar/"
    client.force_login(manager)
    assert "No exceptions" in client.get(url).content.decode()
    done = client.post(url, {"day": "2026-07-04", "working": "1", "note": "Saturday pour"}, follow=True)
    body = done.content.decode()
    assert "Added an exception on 04 Jul 2026." in body and "Sat 4 Jul 2026" in body and "Saturday pour" in body
    refused = client.post(url, {"day": "2026-07-07", "working": "1"})
    assert refused.status_code == 400 and "Tue 07 Jul 2026 is already a working day" in refused.content.decode()
    assert client.post(url, {"day": "someday", "working": "1"}).status_code == 400
    exception = ProjectDayException.objects.get()
    client.force_login(member)
    assert "Saturday pour" in client.get(url).content.decode()
    assert client.post(url, {"day": "2026-07-11", "working": "1"}).status_code == 403
    assert client.post(f"/calendar/exceptions/{exception.pk}/remove/").status_code == 403
    client.force_login(manager)
    client.post(f"/calendar/exceptions/{exception.pk}/remove/")
    assert not ProjectDayException.objects.exists()
    elsewhere = ProjectFactory(org=other_org)
    assert client.get(f"/projects/{elsewhere.pk}/calendar/").status_code == 404
    assert client.post(f"/projects/{elsewhere.pk}/calendar/", {"day": "2026-07-11", "working": "1"}).status_code == 404
    assert "Working calendar</a>" in client.get(f"/projects/{project.pk}/").content.decode()


def test_calendar_pages_run_the_same_queries_however_many_holidays(client, org, org_admin, manager, count_queries):
    project = ProjectFactory(org=org, owner=manager)
    services.save_calendar(actor=org_admin, org=org, weekdays=[0, 1, 2, 3, 4], country="AU", subdivision="NSW")
    services.load_holidays(actor=org_admin, org=org, year=2026)
    services.add_exception(actor=manager, project=project, day=D(2026, 7, 4), working=True)
    client.force_login(org_admin)
    pages = ["/calendar/", f"/projects/{project.pk}/calendar/"]
    [count_queries(url) for url in pages]  # warm per-process caches and the session
    small = [count_queries(url) for url in pages]
    for year in (2025, 2027):
        services.load_holidays(actor=org_admin, org=org, year=year)
    for day in range(11, 30, 7):
        services.add_exception(actor=manager, project=project, day=D(2026, 7, day), working=True)
    assert [count_queries(url) for url in pages] == small
