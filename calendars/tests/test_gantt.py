"""The Gantt on a working calendar: non-working days shaded, drags keep working-day durations, and a calendar change
re-plans the cached chart."""

import datetime
import json

import pytest

from calendars import services as calendar_services
from projects import dependencies, services
from projects.gantt import chart
from projects.gantt import chart as c
from projects.models import Task

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(org, manager):
    """Depot, Jul – Dec 2026; Dig (Wed 1 – Fri 10 Jul) then Pour (Mon 13 – Fri 17 Jul)."""
    project = services.create_project(actor=manager, org=org, name="Depot", owner=manager,
                                      start_date=D(2026, 7, 1), end_date=D(2026, 12, 31))  # fmt: skip
    milestone = services.create_milestone(actor=manager, project=project, name="Build", owner=manager,
                                          start_date=D(2026, 7, 1), end_date=D(2026, 12, 31))  # fmt: skip
    deliverable = services.create_deliverable(actor=manager, milestone=milestone, name="Slab", owner=manager,
                                              start_date=D(2026, 7, 1), end_date=D(2026, 12, 31))  # fmt: skip
    dig = services.create_task(actor=manager, deliverable=deliverable, name="Dig", owner=manager,
                               start_date=D(2026, 7, 1), end_date=D(2026, 7, 10))  # fmt: skip
    pour = services.create_task(actor=manager, deliverable=deliverable, name="Pour", owner=manager,
                                start_date=D(2026, 7, 13), end_date=D(2026, 7, 17))  # fmt: skip
    return project, dig, pour


def _day_view(client, project, start):
    url = f"/projects/{project.pk}/gantt/"
    client.get(url + "?zoom=day")
    client.get(url + f"?start={start}")
    return client.get(url).content.decode()


def test_a_holiday_is_shaded_with_its_weekend_at_day_zoom(client, plan, org, org_admin, manager):
    project, dig, pour = plan
    client.force_login(manager)
    # Day zoom is 28 px a day after a 300 px label pane; the view starts Mon 29 Jun: Sat 4 Jul is at 300 + 5 × 28.
    plain = _day_view(client, project, "2026-06-29")
    assert '<rect class="we" x="440.0" y="44" width="56.0"' in plain  # Sat 4 – Sun 5 Jul
    calendar_services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 6), name="Depot day")
    shaded = client.get(f"/projects/{project.pk}/gantt/").content.decode()
    assert '<rect class="we" x="440.0" y="44" width="84.0"' in shaded  # Sat 4 – Mon 6 Jul, one run
    calendar_services.add_exception(actor=manager, project=project, day=D(2026, 7, 4), working=True)
    opened = client.get(f"/projects/{project.pk}/gantt/").content.decode()
    assert '<rect class="we" x="468.0" y="44" width="56.0"' in opened  # this project works Saturday 4 Jul


def test_dragging_a_bar_keeps_its_working_days_across_a_weekend_and_a_holiday(client, plan, org, org_admin, manager):
    project, dig, pour = plan
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/move/"
    # Pour, Mon 13 – Fri 17 Jul: 5 working days. Dragged two days later the browser proposes Wed 15 – Sun 19 Jul;
    # kept to 5 working days it ends Tue 21 Jul (15, 16, 17, 20, 21).
    moved = client.post(url, {"task": pour.pk, "start_date": "2026-07-15", "end_date": "2026-07-19"})
    assert moved.status_code == 200
    assert json.loads(moved.content)["message"] == "Moved “Pour” to 15 Jul 2026 – 21 Jul 2026."
    assert Task.objects.values_list("start_date", "end_date").get(pk=pour.pk) == (D(2026, 7, 15), D(2026, 7, 21))
    # With Mon 27 Jul a holiday, dragged a week on (Wed 22 Jul) it ends Wed 29 Jul: 22, 23, 24, 28, 29.
    calendar_services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 27), name="Depot day")
    client.post(url, {"task": pour.pk, "start_date": "2026-07-22", "end_date": "2026-07-28"})
    assert Task.objects.values_list("start_date", "end_date").get(pk=pour.pk) == (D(2026, 7, 22), D(2026, 7, 29))


def test_a_calendar_change_replans_the_cached_chart(plan, org, org_admin, manager):
    project, dig, pour = plan
    dependencies.add_dependency(actor=manager, predecessor=dig, successor=pour, lag_days=1)
    rows = {r[c.NAME]: r for r in chart.chart(project, "week")[0]["rows"] if r[c.KIND] == c.TASK_ROW}
    assert rows["Pour"][c.LATE] == [[dig.pk, "2026-07-14"]]  # Fri 10 Jul + 1 working day + 1 lag: Tue 14 Jul
    assert chart.chart(project, "week")[1]  # cached
    calendar_services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 13), name="Depot day")
    data, cached = chart.chart(project, "week")
    rows = {r[c.NAME]: r for r in data["rows"] if r[c.KIND] == c.TASK_ROW}
    assert not cached and rows["Pour"][c.LATE] == [[dig.pk, "2026-07-15"]]  # Mon 13 Jul no longer counts


def test_the_task_page_gives_the_earliest_start_in_working_days(client, plan, org, org_admin, manager):
    project, dig, pour = plan
    dependencies.add_dependency(actor=manager, predecessor=dig, successor=pour, lag_days=0)
    calendar_services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 13), name="Depot day")
    client.force_login(manager)
    page = client.get(f"/tasks/{pour.pk}/").content.decode()
    assert "the earliest start is 14 Jul 2026" in page  # Fri 10 Jul ends Dig; Mon 13 Jul is a holiday


def test_the_task_page_counts_its_working_days(client, plan, org, org_admin, manager):
    project, dig, pour = plan
    calendar_services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 3), name="Depot day")
    client.force_login(manager)
    page = client.get(f"/tasks/{dig.pk}/").content.decode()
    assert "1 Jul 2026 – 10 Jul 2026 (10 days, 7 working days)" in page  # Wed 1 – Fri 10 Jul less Fri 3 Jul
