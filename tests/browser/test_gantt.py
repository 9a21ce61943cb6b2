"""The Gantt in a real browser: bars, today line, zoom, folding a milestone, and dragging a bar to new dates; on a
long chart, rows brought in as the person scrolls."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from calendars.selectors import calendar_for_project
from projects import dependencies, services
from projects.models import Project, Task
from projects.tests.factories import ProjectFactory, big_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = datetime.timedelta(days=1)


def drag(page, x: float, y: float, dx: float) -> None:
    """Press at (x, y), move right by dx in small steps as a hand would, release."""
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y, steps=4)
    page.mouse.move(x + dx, y, steps=4)
    page.mouse.up()


@pytest.fixture
def plan(manager):
    today = manager.org.today()
    project = services.create_project(actor=manager, org=manager.org, name="Reservoir", owner=manager,
                                      start_date=today - 20 * DAY, end_date=today + 40 * DAY)  # fmt: skip
    tasks = []
    for m in range(2):
        milestone = services.create_milestone(actor=manager, project=project, name=f"Stage {m + 1}", owner=manager,
                                              start_date=project.start_date, end_date=project.end_date)  # fmt: skip
        deliverable = services.create_deliverable(actor=manager, milestone=milestone, name=f"Output {m + 1}",
                                                  owner=manager, start_date=project.start_date,
                                                  end_date=project.end_date)  # fmt: skip
        for t in range(3):
            start = project.start_date + (10 * t + m) * DAY
            tasks.append(services.create_task(actor=manager, deliverable=deliverable, name=f"Task {m + 1}.{t + 1}",
                                              owner=manager, start_date=start, end_date=start + 6 * DAY))  # fmt: skip
    dependencies.add_dependency(actor=manager, predecessor=tasks[0], successor=tasks[1])
    return manager, project, tasks


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def test_gantt_bars_zoom_fold_and_drag(page, live_server, plan):
    manager, project, tasks = plan
    sign_in(page, live_server, manager)

    page.goto(f"{live_server.url}/projects/{project.pk}/gantt/")
    chart = page.get_by_role("group", name=f"Gantt chart of {project.name}")
    assert chart.count() == 1
    assert page.locator("svg.gantt a.b").count() == len(tasks)
    assert page.locator("#gantt-today").count() == 1
    assert page.locator(".ar").count() == 1  # the dependency arrow

    page.get_by_role("group", name="Zoom").get_by_role("link", name="Day").click()
    page.wait_for_selector('svg.gantt[data-zoom="day"]')
    assert page.locator("svg.gantt .we").count() > 0  # non-working days shaded at day zoom
    page.get_by_role("group", name="Move").get_by_role("link", name="Fit to project").click()
    page.wait_for_selector('svg.gantt[data-zoom="month"], svg.gantt[data-zoom="week"]')

    page.locator("a.tg[data-row]").first.click()  # fold "Stage 1"
    page.wait_for_selector('a.tg[aria-expanded="false"]')
    assert page.locator("svg.gantt a.b").count() == 3

    task = tasks[-1]
    bar = page.locator(f'svg.gantt a.b[data-id="{task.pk}"] rect').first
    box = bar.bounding_box()
    ppd = float(page.locator("svg.gantt").get_attribute("data-ppd"))
    scale = page.evaluate("(() => { const s = document.querySelector('svg.gantt'); "
                          "return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()")  # fmt: skip
    drag(page, box["x"] + box["width"] / 3, box["y"] + box["height"] / 2, 3 * ppd * scale)
    page.wait_for_selector("#gantt-status.ok")
    assert "Moved “Task 2.3”" in page.locator("#gantt-status").inner_text()
    moved = Task.objects.get(pk=task.pk)
    calendar = calendar_for_project(project)  # a bar dragged whole keeps its working days
    kept = calendar.add_working_days(moved.start_date, calendar.working_days_between(task.start_date, task.end_date))
    assert (moved.start_date - task.start_date, moved.end_date) == (3 * DAY, kept)
    page.reload()
    assert page.locator(f'svg.gantt a.b[data-id="{task.pk}"]').get_attribute("data-s") == moved.start_date.isoformat()

    other = tasks[-2]  # drag its right end: only the end date moves
    handle = page.locator(f'svg.gantt a.b[data-id="{other.pk}"] rect.h').bounding_box()
    drag(page, handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2, 2 * ppd * scale)
    page.locator("#gantt-status", has_text="Moved “Task 2.2”").wait_for()
    resized = Task.objects.get(pk=other.pk)
    assert (resized.start_date, resized.end_date - other.end_date) == (other.start_date, 2 * DAY)


def scroll_to(page, top: int) -> None:
    page.locator("#gantt").evaluate("(wrap, top) => { wrap.scrollTop = top; }", top)


def test_a_long_chart_brings_rows_in_as_it_scrolls_and_still_drags_zooms_and_folds(page, live_server, manager):
    project = big_project(manager.org, manager, tasks=2000, milestones=4)
    rows = 2000 + 4 + 40
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/{project.pk}/gantt/")
    chart = page.locator("svg.gantt")
    assert chart.get_attribute("data-rows") == str(rows)
    assert page.locator("#gantt-today").count() == 1
    assert page.locator("#gantt-labels text", has_text="Job 40 ").count() == 1
    assert page.locator("#gantt-labels text", has_text="Job 1500 ").count() == 0  # not sent with the page
    first_bars = page.locator("svg.gantt a.b").count()
    assert 0 < first_bars <= 2 * 50  # the first window, and maybe the next one already brought
    # Once the page has painted, the window below the viewport comes without a scroll, and no further one.
    page.locator("#gantt-labels text", has_text="Job 90 ").wait_for(state="attached")
    page.wait_for_timeout(300)
    assert page.locator("#gantt-labels text", has_text="Job 140 ").count() == 0

    scroll_to(page, 44 + 1530 * 22)  # row 1,530 (Job 1,500 is about there)
    page.locator("#gantt-labels text", has_text="Job 1500 ").wait_for()
    assert page.locator("#gantt-labels text", has_text="Job 40 ").count() == 0  # far windows are let go
    assert page.locator("svg.gantt a.b").count() <= 10 * 50

    task = Task.objects.get(project=project, name="Job 1500")
    bar = page.locator(f'svg.gantt a.b[data-id="{task.pk}"] rect').first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    ppd = float(chart.get_attribute("data-ppd"))
    drag(page, box["x"] + box["width"] / 3, box["y"] + box["height"] / 2, 3 * ppd)
    page.locator("#gantt-status", has_text="Moved “Job 1500”").wait_for()
    moved = Task.objects.get(pk=task.pk)
    assert (moved.start_date - task.start_date, moved.end_date - task.end_date) == (3 * DAY, 3 * DAY)
    page.wait_for_selector(f'svg.gantt a.b[data-id="{task.pk}"][data-s="{moved.start_date.isoformat()}"]')

    page.get_by_role("group", name="Zoom").get_by_role("link", name="Week").click()
    page.wait_for_selector('svg.gantt[data-zoom="week"]')
    scroll_to(page, 44 + 800 * 22)
    page.locator("#gantt-labels text", has_text="Job 780 ").wait_for()

    scroll_to(page, 0)  # back up: the first window comes again
    page.locator("a.tg[data-row]").first.click()  # fold "Stage 1": its 500 tasks and 10 deliverables go
    page.wait_for_selector('a.tg[aria-expanded="false"]')
    assert page.locator("svg.gantt").get_attribute("data-rows") == str(rows - 510)
    scroll_to(page, 44 + 1400 * 22)
    page.locator("#gantt-labels text", has_text="Job 1900 ").wait_for()


def test_the_portfolio_timeline_brings_projects_in_as_it_scrolls(page, live_server, manager):
    Project.objects.bulk_create(ProjectFactory.build_batch(160, org=manager.org, owner=manager))
    last = Project.objects.filter(org=manager.org).order_by("-pk").first()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/gantt/")
    assert page.locator("svg.gantt").get_attribute("data-rows") == "160"
    assert page.locator("svg.gantt a.pr").count() <= 2 * 50  # the first window, and maybe the next
    scroll_to(page, 44 + 150 * 22)
    page.locator("#gantt-labels text", has_text="Project").last.wait_for()
    page.wait_for_function("() => document.querySelectorAll('svg.gantt a.pr').length === 160")
    assert page.locator(f'svg.gantt a[href="/projects/{last.pk}/gantt/"]').count() == 1
