"""The Gantt: rows and geometry, statuses shown beyond colour, dependencies, caching, state, moves and exports."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from calendars.workdays import WorkingCalendar
from decisions.tests.factories import raise_decision
from pit.enums import TaskStatus
from projects import dependencies, services
from projects.gantt import chart
from projects.gantt import chart as c
from projects.gantt.scale import Viewport, fit_zoom, header_units, non_working_days
from projects.gantt.svg import CHANGE_FILLS, render
from projects.models import GanttState, Project, Task, TaskDependency, TimelineCache
from projects.tests.factories import ProjectFactory, big_project, task_in

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(org, manager):
    """Project 1 Jul – 31 Dec 2026: two milestones; the first holds a deliverable with three tasks."""
    project = services.create_project(actor=manager, org=org, name="Depot", owner=manager,
                                      start_date=D(2026, 7, 1), end_date=D(2026, 12, 31))  # fmt: skip
    first = services.create_milestone(actor=manager, project=project, name="Build", owner=manager,
                                      start_date=D(2026, 7, 1), end_date=D(2026, 9, 30))  # fmt: skip
    services.create_milestone(actor=manager, project=project, name="Handover", owner=manager,
                              start_date=D(2026, 10, 1), end_date=D(2026, 12, 31))  # fmt: skip
    deliverable = services.create_deliverable(actor=manager, milestone=first, name="Slab", owner=manager,
                                              start_date=D(2026, 7, 1), end_date=D(2026, 9, 30))  # fmt: skip

    def task(name, start, end):
        return services.create_task(actor=manager, deliverable=deliverable, name=name, owner=manager,
                                    start_date=start, end_date=end)  # fmt: skip

    tasks = [task("Dig", D(2026, 7, 1), D(2026, 7, 10)), task("Pour", D(2026, 7, 11), D(2026, 7, 20)),
             task("Tidy", D(2026, 7, 1), D(2026, 7, 3))]  # fmt: skip
    return project, first, deliverable, tasks


def test_rows_follow_the_tree_and_bars_follow_the_dates(plan):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    data, cached = chart.chart(project, "day")
    assert not cached
    assert [(r[c.KIND], r[c.NAME]) for r in data["rows"]] == [
        ("m", "Build"), ("d", "Slab"), ("t", "Dig"), ("t", "Pour"), ("t", "Tidy"), ("m", "Handover")]  # fmt: skip
    pour_row = data["rows"][3]
    assert (pour_row[c.X], pour_row[c.W]) == (10 * 28.0, 10 * 28.0)  # 28 px a day at day zoom
    assert chart.chart(project, "month")[0]["rows"][3][c.X] == 10 * 2.5


def test_the_svg_draws_bars_diamonds_today_and_statuses_beyond_colour(plan, org):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    Task.objects.filter(pk=tidy.pk).update(status=TaskStatus.BLOCKED, blocked_reason="Rain")
    Task.objects.filter(pk=dig.pk).update(status=TaskStatus.OVERDUE)
    Project.objects.filter(pk=project.pk).update(timeline_version=999)  # raw updates: make the cache stale by hand
    data, _ = chart.chart(project, "week")
    svg = render(data, Viewport("week", D(2026, 6, 29)), D(2026, 7, 15), project_id=project.pk, title="Gantt")
    assert svg.count('class="b ') == 3 and svg.count('class="ms"') == 2
    assert 'role="group"' in svg and 'aria-labelledby="gantt-title gantt-desc"' in svg
    assert re.search(r'class="b s-overdue[^"]*".*?<text class="mk"[^>]*>!</text>', svg)
    assert re.search(r'class="b s-blocked[^"]*".*?<text class="mk"[^>]*>■</text>', svg)
    assert "<title>Dig · 1 Jul 2026 – 10 Jul 2026 · 0 % · Max Manager · Overdue" in svg
    assert 'id="gantt-today"' in svg
    outside = render(data, Viewport("week", D(2027, 6, 1)), D(2026, 7, 15), project_id=project.pk, title="G")
    assert 'id="gantt-today"' not in outside and 'class="b ' not in outside  # nothing in view, labels only
    assert outside.count('class="lt"') == 3


def test_time_axis_has_two_header_rows_and_non_working_days_at_day_and_week_zoom():
    upper, lower = header_units(Viewport("week", D(2026, 11, 2)))
    assert upper[0][2] == "Nov 2026" and lower[0][2] == "W45"
    upper, lower = header_units(Viewport("month", D(2026, 11, 2)))
    assert (upper[0][2], lower[0][2], lower[2][2]) == ("2026", "Nov", "Jan")
    christmas = WorkingCalendar(closed=(D(2026, 12, 25),))
    assert non_working_days(Viewport("day", D(2026, 11, 23)), christmas)[0] == (D(2026, 11, 28), 2)
    # Christmas (a Friday) joins its weekend: one shaded run of three days
    assert (D(2026, 12, 25), 3) in non_working_days(Viewport("week", D(2026, 11, 23)), christmas)
    assert non_working_days(Viewport("month", D(2026, 11, 23)), christmas) == []
    assert fit_zoom(D(2026, 1, 1), D(2026, 1, 30)) == "day" and fit_zoom(D(2026, 1, 1), D(2030, 1, 1)) == "year"


def test_dependency_rules_give_clear_messages(plan, manager, other_org):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    dependencies.add_dependency(actor=manager, predecessor=dig, successor=pour)
    dependencies.add_dependency(actor=manager, predecessor=pour, successor=tidy)
    cases = [
        (dig, dig, "cannot depend on itself"),
        (dig, pour, "already depends on “Dig”"),
        (tidy, dig, "“Tidy” already depends on “Dig” (directly or through other tasks): this would make a loop."),
        (task_in(other_org, UserFactory(org=other_org)), dig, "only depend on a task of the same project"),
    ]
    for predecessor, successor, message in cases:
        with pytest.raises(ValidationError, match=re.escape(message)):
            dependencies.add_dependency(actor=manager, predecessor=predecessor, successor=successor)
    assert TaskDependency.objects.count() == 2


def test_the_database_refuses_a_dependency_across_projects(plan, org, manager):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    elsewhere = task_in(org, manager)
    raises = pytest.raises(IntegrityError, match="task_dependency_successor_project_fk")
    with raises, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO task_dependency (project_id, predecessor_id, successor_id, type, lag_days, created_at,"
            " updated_at) VALUES (%s, %s, %s, 'finish_to_start', 0, now(), now())",
            [project.pk, dig.pk, elsewhere.pk],
        )


def test_critical_path_and_late_starts(plan, manager):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    # Working days, Monday to Friday: Dig ends Fri 10 Jul; the first working day after it is Mon 13 Jul, and a lag
    # of 2 working days makes Pour's earliest start Wed 15 Jul. Tidy ends Fri 3 Jul: Dig may start Mon 6 Jul.
    dependencies.add_dependency(actor=manager, predecessor=dig, successor=pour, lag_days=2)
    dependencies.add_dependency(actor=manager, predecessor=tidy, successor=dig)
    rows = {r[c.NAME]: r for r in chart.chart(project, "week")[0]["rows"] if r[c.KIND] == c.TASK_ROW}
    assert rows["Pour"][c.LATE] == [[dig.pk, "2026-07-15"]] and rows["Dig"][c.LATE] == [[tidy.pk, "2026-07-06"]]
    assert not rows["Tidy"][c.LATE]
    assert {name for name, row in rows.items() if row[c.CRITICAL]} == {"Tidy", "Dig", "Pour"}  # the chain to the end
    svg = render(chart.chart(project, "week")[0], Viewport("week", D(2026, 6, 29)), D(2026, 7, 1),
                 project_id=project.pk, title="G")  # fmt: skip
    assert svg.count('class="ar late"') == 2 and "starts before its predecessor allows (earliest 15 Jul 2026)" in svg
    late = dependencies.late_starts(Task.objects.get(pk=pour.pk))
    assert [(t.name, day) for t, day in late] == [("Dig", D(2026, 7, 15))]


def test_cache_is_reused_and_never_stale(plan, manager):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    chart.chart(project, "week")
    assert chart.chart(project, "week")[1] is True  # from the cache
    services.update(actor=manager, obj=pour, start_date=D(2026, 8, 1), end_date=D(2026, 8, 5))
    data, cached = chart.chart(project, "week")
    assert not cached and data["rows"][3][c.START] == "2026-08-01"


def test_a_chart_built_before_a_concurrent_change_is_not_served(plan, manager):
    """A reader builds from rows read before a writer commits; its cache row must not be shown afterwards."""
    project, milestone, deliverable, (dig, pour, tidy) = plan
    old_version = chart.current(project).timeline_version
    old = chart.build(project, "week", old_version)  # the slow reader read the old plan...
    services.update(actor=manager, obj=pour, start_date=D(2026, 8, 1), end_date=D(2026, 8, 5))  # ...a writer commits
    TimelineCache.objects.update_or_create(project=project, zoom_level="week", defaults={"data": old})  # reader saves
    data, cached = chart.chart(project, "week")
    assert not cached and data["rows"][3][c.START] == "2026-08-01"


def test_zoom_viewport_and_folding_are_remembered_per_person(client, plan, manager, make_user):
    project, milestone, *_ = plan
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/"
    assert client.get(url + "?zoom=day").url == url
    client.get(url + "?shift=later")
    client.get(url + f"?toggle={milestone.pk}")
    state = GanttState.objects.get(user=manager, project=project)
    assert state.zoom_level == "day" and state.collapsed == [milestone.pk]
    body = client.get(url).content.decode()
    assert body.count('class="b ') == 0 and 'aria-expanded="false"' in body  # Build's tasks folded away
    before = GanttState.objects.values_list("zoom_level", "viewport_start", "collapsed").get(user=manager)
    response = client.get(url + "?zoom=fortnight&start=soon&shift=later", follow=True)
    assert "Unknown zoom “fortnight”" in response.content.decode() and "is not a date" in response.content.decode()
    foreign = client.get(url + "?toggle=999999", follow=True).content.decode()
    assert "Choose a milestone of this project" in foreign
    far = client.get(url + "?start=9999-12-25&shift=later", follow=True)
    assert far.status_code == 200 and "The timeline shows dates from 1970 to 2199." in far.content.decode()
    after = GanttState.objects.values_list("zoom_level", "viewport_start", "collapsed").get(user=manager)
    assert after == before  # bad controls change nothing
    other = make_user(Role.MANAGER)
    client.force_login(other)
    client.get(url)
    assert not GanttState.objects.filter(user=other).exists()  # looking saves nothing; only changes do


def test_dragging_a_bar_is_checked_like_the_edit_form(client, plan, manager, member):
    project, milestone, deliverable, (dig, pour, tidy) = plan
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/move/"
    # Pour, Sat 11 – Mon 20 Jul, is 6 working days after its start; dragged whole to Tue 14 Jul it keeps them:
    # Wed 15, Thu 16, Fri 17, Mon 20, Tue 21, Wed 22 Jul.
    ok = client.post(url, {"task": pour.pk, "start_date": "2026-07-14", "end_date": "2026-07-23"})
    assert ok.status_code == 200 and 'data-s="2026-07-14" data-e="2026-07-22"' in json.loads(ok.content)["svg"]
    assert Task.objects.get(pk=pour.pk).end_date == D(2026, 7, 22)
    bad = client.post(url, {"task": pour.pk, "start_date": "2026-07-14", "end_date": "2026-10-24"})
    assert bad.status_code == 400 and "Ends after its deliverable “Slab”" in json.loads(bad.content)["message"]
    assert Task.objects.get(pk=pour.pk).end_date == D(2026, 7, 22)
    stretched = client.post(url, {"task": pour.pk, "start_date": "2026-07-14", "end_date": "2026-07-24"})
    assert stretched.status_code == 200 and Task.objects.get(pk=pour.pk).end_date == D(2026, 7, 24)
    assert client.post(url, {"task": pour.pk, "start_date": "later"}).status_code == 400
    client.force_login(member)
    assert client.post(url, {"task": pour.pk, "start_date": "2026-07-15", "end_date": "2026-07-25"}).status_code == 403


def test_exports_and_table_view(client, plan, manager):
    project, milestone, deliverable, tasks = plan
    client.force_login(manager)
    svg = client.get(f"/projects/{project.pk}/gantt.svg")
    body = svg.content.decode()
    assert svg["Content-Type"].startswith("image/svg+xml") and body.startswith('<?xml version="1.0"')
    assert "<style>" in body and ".gantt .today" in body and body.count('class="b ') == 3
    rows = list(csv.reader(io.StringIO(client.get(f"/projects/{project.pk}/gantt.csv").content.decode())))
    assert rows[0][:3] == ["kind", "id", "name"] and [r[2] for r in rows[1:]] == [
        "Build", "Slab", "Dig", "Pour", "Tidy", "Handover"]  # fmt: skip
    table = client.get(f"/projects/{project.pk}/gantt/table/").content.decode()
    assert "Milestone: Build" in table and '<th scope="row">Pour</th>' in table


def test_another_organisations_gantt_is_404(client, other_org, manager):
    task = task_in(other_org, UserFactory(org=other_org))
    client.force_login(manager)
    for url in (f"/projects/{task.project_id}/gantt/", f"/projects/{task.project_id}/gantt.svg",
                f"/projects/{task.project_id}/gantt.csv", f"/projects/{task.project_id}/gantt/table/"):  # fmt: skip
        assert client.get(url).status_code == 404
    response = client.post(f"/projects/{task.project_id}/gantt/move/",
                           {"task": task.pk, "start_date": "2026-07-01", "end_date": "2026-07-02"})  # fmt: skip
    assert response.status_code == 404


def test_portfolio_gantt_rows_filters_and_expansion(client, plan, org, manager):
    project, milestone, *_ = plan
    services.create_project(actor=manager, org=org, name="Billing ops", owner=manager, type="operational_stream",
                            start_date=D(2026, 1, 1), end_date=D(2027, 6, 30))  # fmt: skip
    client.force_login(manager)
    body = client.get("/gantt/").content.decode()
    assert body.count('class="pr ') == 2 and 'class="ms"' not in body
    expanded = client.get(f"/gantt/?expand={project.pk}").content.decode()
    assert expanded.count('class="ms"') == 2 and 'aria-expanded="true"' in expanded
    assert client.get("/gantt/?type=operational_stream").content.decode().count('class="pr ') == 1


def test_gantt_query_counts_do_not_grow_with_the_tasks(client, plan, manager, count_queries):
    project, milestone, deliverable, tasks = plan
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/"
    client.get(url)
    small_cold = (Project.objects.filter(pk=project.pk).update(timeline_version=-1), count_queries(url))[1]
    small_warm = count_queries(url)
    previous = tasks[-1]
    for i in range(60):
        task = services.create_task(actor=manager, deliverable=deliverable, name=f"More {i}", owner=manager,
                                    start_date=D(2026, 8, 1), end_date=D(2026, 8, 3))  # fmt: skip
        dependencies.add_dependency(actor=manager, predecessor=previous, successor=task)
        previous = task
    Project.objects.filter(pk=project.pk).update(timeline_version=-2)
    assert (count_queries(url), count_queries(url)) == (small_cold, small_warm)
    portfolio = count_queries("/gantt/")
    services.create_project(actor=manager, org=project.org, name="Another", owner=manager,
                            start_date=D(2026, 1, 1), end_date=D(2026, 3, 1))  # fmt: skip
    assert count_queries("/gantt/") == portfolio


def test_owner_names_are_current_without_rebuilding_the_chart(plan, manager):
    project, *_ = plan
    chart.chart(project, "week")
    type(manager).objects.filter(pk=manager.pk).update(name="Maxine Manager")  # a rename touches no project
    data, cached = chart.chart(project, "week")
    svg = render(data, Viewport("week", D(2026, 6, 29)), D(2026, 7, 1), project_id=project.pk, title="G")
    assert cached and "Maxine Manager" in svg and "Max Manager" not in svg


def test_the_portfolio_ignores_a_far_away_start(client, plan, manager):
    client.force_login(manager)
    response = client.get("/gantt/?start=9999-12-25")
    assert response.status_code == 200 and 'class="pr ' in response.content.decode()


def rows_url(project, page: str, first: int) -> str:
    """The rows endpoint as the page's data attribute names it, asking for the window at `first`."""
    base = re.search(r'data-rows-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    version = re.search(r'data-version="(\d+)"', page).group(1)
    return f"{base}&v={version}&first={first}"


def test_a_long_chart_sends_its_first_window_and_brings_the_rest_on_asking(client, org, manager):
    project = big_project(org, manager, tasks=250, milestones=2)
    client.force_login(manager)
    page = client.get(f"/projects/{project.pk}/gantt/").content.decode()
    total = 250 + 2 + 6  # tasks, milestones, deliverables
    assert f'data-rows="{total}"' in page and "Job 49 " not in page and "Job 48 " in page  # rows 0-49 only
    assert 'href="?all=1"' in page and "<noscript>" in page
    answer = client.get(rows_url(project, page, 50)).json()
    assert answer["ok"] and answer["first"] == 50
    assert '<g data-first="50">' in answer["labels"] and "Job 49 " in answer["labels"]
    assert 'class="b ' in answer["bars"] and 'class="ar' in answer["bars"]  # bars and the arrows ending there
    last = client.get(rows_url(project, page, 250)).json()
    assert "Job 250 " in last["labels"] and "Job 49 " not in last["labels"]
    assert client.get(rows_url(project, page, 300)).status_code == 404
    assert client.get(rows_url(project, page, 100).replace("zoom=", "zoom=fortnight")).status_code == 400
    whole = client.get(f"/projects/{project.pk}/gantt/?all=1").content.decode()
    assert whole.count('class="lt"') == 250 and "data-rows-url" not in whole  # every row, nothing to bring


def test_windows_follow_edits_folding_and_renames(client, org, manager):
    project = big_project(org, manager, tasks=120, milestones=1)
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/"
    page = client.get(url).content.decode()
    job = Task.objects.get(project=project, name="Job 110")
    services.update(actor=manager, obj=job, start_date=job.start_date + DAY, end_date=job.end_date + DAY)
    stale = client.get(rows_url(project, page, 100))
    assert stale.status_code == 409 and stale.json()["stale"]  # the browser shows the chart again
    page = client.get(url).content.decode()
    assert f'data-s="{(job.start_date + DAY).isoformat()}"' in client.get(rows_url(project, page, 100)).json()["bars"]
    type(manager).objects.filter(pk=manager.pk).update(name="Maxine Manager")  # a rename touches no project
    assert "Maxine Manager" in client.get(rows_url(project, page, 100)).json()["labels"]
    blocked = Task.objects.get(project=project, name="Job 115")
    raise_decision(manager, title="Pump brand", blocked_tasks=[blocked])  # its tick comes with the task's window
    assert '<g class="decision"' in client.get(rows_url(project, page, 100)).json()["bars"]
    milestone = project.milestones.get()
    client.get(url + f"?toggle={milestone.pk}")
    folded = client.get(url).content.decode()
    assert 'data-rows="1"' in folded and f"folded={milestone.pk}" in folded


def test_the_rows_endpoint_keeps_its_queries_as_the_plan_grows(client, org, manager, count_queries):
    small, large = big_project(org, manager, tasks=150), big_project(org, manager, tasks=1500)
    client.force_login(manager)
    counts = []
    for project in (small, large):
        page = client.get(f"/projects/{project.pk}/gantt/").content.decode()
        Project.objects.filter(pk=project.pk).update(timeline_version=F("timeline_version") + 1)  # cold windows
        url = rows_url(project, page, 100).replace("&v=0", "&v=1")
        counts.append((count_queries(url), count_queries(url)))
    assert counts[0] == counts[1]


def test_exports_print_and_table_keep_every_row_of_a_long_chart(client, org, manager):
    project = big_project(org, manager, tasks=400, milestones=2)
    client.force_login(manager)
    svg = client.get(f"/projects/{project.pk}/gantt.svg").content.decode()
    assert svg.count('class="lt"') == 400 and "data-rows-url" not in svg and 'data-first="' not in svg
    rows = list(csv.reader(io.StringIO(client.get(f"/projects/{project.pk}/gantt.csv").content.decode())))
    assert len(rows) == 1 + 400 + 2 + 8 and rows[-1][2] == "Job 400"
    table = client.get(f"/projects/{project.pk}/gantt/table/").content.decode()
    assert table.count('<th scope="row">Job ') == 400
    printed = client.get(f"/projects/{project.pk}/gantt/?all=1&print=1").content.decode()
    assert printed.count('class="lt"') == 400 and 'data-print-now="1"' in printed


def test_the_portfolio_sends_a_window_of_projects_and_brings_the_rest(client, org, manager, count_queries):
    Project.objects.bulk_create(ProjectFactory.build_batch(130, org=org, owner=manager))
    client.force_login(manager)
    page = client.get("/gantt/?type=project").content.decode()
    assert page.count('class="pr ') == 50 and 'data-rows="130"' in page
    url = rows_url(None, page, 100)
    answer = client.get(url).json()
    assert answer["ok"] and answer["bars"].count('class="pr ') == 30 and "type=project" in url
    assert 'aria-expanded="false"' in answer["labels"]  # project rows still unfold
    assert client.get(rows_url(None, page, 200)).status_code == 404
    assert client.get(url.replace("first=100", "first=soon")).status_code == 400
    assert client.get("/gantt/?all=1").content.decode().count('class="pr ') == 130
    queries = count_queries(url)
    Project.objects.bulk_create(ProjectFactory.build_batch(40, org=org, owner=manager))
    assert count_queries(url) == queries


def test_windows_brought_in_later_carry_the_baseline_and_the_changes_since(client, org, manager):
    from baselines import services as baseline_services

    project = big_project(org, manager, tasks=150, milestones=1)
    baseline = baseline_services.capture(actor=manager, project=project, name="Approved")
    late = project.tasks.order_by("-order_index", "-id").first()  # in the last window
    services.update(actor=manager, obj=late, end_date=late.end_date + 14 * DAY)
    client.force_login(manager)
    page = client.get(f"/projects/{project.pk}/gantt/?baseline={baseline.pk}&since=week").content.decode()
    assert 'class="bl"' in page and "since=week" in page  # the first window, and the rows url keeps the moment
    window = client.get(rows_url(project, page, 150)).json()
    assert window["ok"] and 'class="bl"' in window["bars"] and "+10 d" in window["bars"]  # 14 days: 10 working days
    assert 'class="chg-row' in window["labels"] and CHANGE_FILLS["added"] in window["labels"]  # made this week
