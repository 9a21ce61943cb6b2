"""Demo data for working calendars: each organisation works Monday to Friday with the public holidays of New South
Wales for the years its projects span, and its first project works one Saturday, so the calendar pages, the Gantt's
shaded holidays and the working-day figures are alive after `make run`. Seeding again is safe: a loaded year is
not loaded twice."""

from datetime import timedelta

from django.db.models import Max, Min

from accounts.models import User
from accounts.permissions import Role
from calendars import services
from projects.models import Project

COUNTRY, SUBDIVISION = "AU", "NSW"


def seed(orgs, *, seed: int) -> None:
    for org in orgs:
        admin = User.objects.filter(org=org, role=Role.ORG_ADMIN).order_by("pk").first()
        if admin is None:
            continue
        services.save_calendar(actor=admin, org=org, weekdays=range(5), country=COUNTRY, subdivision=SUBDIVISION)
        today = org.today()
        span = Project.objects.filter(org=org).aggregate(first=Min("start_date"), last=Max("end_date"))
        first = max((span["first"] or today).year, today.year - 1)
        last = min((span["last"] or today).year, today.year + 2)
        for year in range(first, max(last, today.year) + 1):
            services.load_holidays(actor=admin, org=org, year=year)
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
        # the first project without that shift yet: seeding again adds to another project, never twice to one
        project = Project.objects.filter(org=org).exclude(day_exceptions__date=saturday).order_by("pk").first()
        if project is not None:
            services.add_exception(actor=admin, project=project, day=saturday, working=True, note="Weekend shift")
