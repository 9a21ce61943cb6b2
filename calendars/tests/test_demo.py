import pytest

from calendars import demo
from calendars.models import Holiday, OrgCalendar, ProjectDayException
from calendars.selectors import calendar_for_project
from pit.demo import seed_organisations, seed_projects
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_demo_calendars_have_the_years_holidays_and_a_weekend_shift():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=10, seed=1)
    demo.seed(orgs, seed=1)
    org = orgs[0]
    calendar = OrgCalendar.objects.get(org=org)
    today = org.today()
    assert (calendar.country, calendar.subdivision) == ("AU", "NSW") and today.year in calendar.holiday_years
    assert Holiday.objects.filter(org=org, date__year=today.year, name="Christmas Day").exists()
    demo.seed(orgs, seed=2)  # again: nothing twice
    assert Holiday.objects.filter(org=org, date__year=today.year, name="Christmas Day").count() == 1
    shift = ProjectDayException.objects.filter(project__org=org).order_by("pk").first()
    assert shift.date.weekday() == 5 and calendar_for_project(Project.objects.get(pk=shift.project_id)).is_working(
        shift.date
    )
