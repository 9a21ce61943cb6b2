"""Baselines in a real browser: capture one on the project page, show it on the Gantt, drag a bar, and see the
shadow bar stay where the plan was with the drift label "+3 d"."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from baselines.models import Baseline
from projects import services
from projects.models import Task

from .test_gantt import drag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D, DAY = datetime.date, datetime.timedelta(days=1)


@pytest.fixture
def plan(manager):
    project = services.create_project(actor=manager, org=manager.org, name="Pump station", owner=manager,
                                      start_date=D(2027, 3, 1), end_date=D(2027, 4, 30))  # fmt: skip
    milestone = services.create_milestone(actor=manager, project=project, name="Build", owner=manager,
                                          start_date=project.start_date, end_date=project.end_date)  # fmt: skip
    deliverable = services.create_deliverable(actor=manager, milestone=milestone, name="Station", owner=manager,
                                              start_date=project.start_date, end_date=project.end_date)  # fmt: skip
    tasks = [
        services.create_task(
            actor=manager,
            deliverable=deliverable,
            name=f"Step {i + 1}",
            owner=manager,
            start_date=D(2027, 3, 1) + 7 * i * DAY,
            end_date=D(2027, 3, 5) + 7 * i * DAY,
        )
        for i in range(3)
    ]  # fmt: skip  (Monday to Friday, a week apart)
    return manager, project, tasks


def test_capture_a_baseline_drag_a_bar_and_see_the_shadow_and_drift(page, live_server, plan):
    manager, project, tasks = plan
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_label("Baseline name").fill("Approved plan")
    page.get_by_role("button", name="Capture baseline").click()
    page.get_by_text("Captured the baseline “Approved plan”: 3 task(s).").wait_for()
    baseline = Baseline.objects.get(project=project)
    assert baseline.is_reference

    page.get_by_role("link", name="Gantt with it").click()
    page.wait_for_selector("svg.gantt path.bl")
    assert page.get_by_label("Baseline", exact=True).input_value() == str(baseline.pk)
    assert page.locator("svg.gantt text.bl-d").count() == 0  # nothing has drifted yet

    # Mon 1 – Fri 5 Mar, 5 working days; moved three days it starts on Thursday and keeps its 5 working days, so it
    # ends on Wednesday 10 Mar: its finish slipped 3 working days
    task = tasks[0]
    bar = page.locator(f'svg.gantt a.b[data-id="{task.pk}"] rect').first.bounding_box()
    ppd = float(page.locator("svg.gantt").get_attribute("data-ppd"))
    scale = page.evaluate("(() => { const s = document.querySelector('svg.gantt'); "
                          "return s.getBoundingClientRect().width / s.viewBox.baseVal.width; })()")  # fmt: skip
    drag(page, bar["x"] + bar["width"] / 3, bar["y"] + bar["height"] / 2, 3 * ppd * scale)
    page.locator("#gantt-status", has_text="Moved “Step 1”").wait_for()
    assert Task.objects.get(pk=task.pk).end_date == D(2027, 3, 10)

    label = page.locator("svg.gantt text.bl-d")
    assert label.count() == 1 and label.text_content().endswith("+3 d")
    shadow = page.locator("svg.gantt path.bl").bounding_box()
    moved = page.locator(f'svg.gantt a.b[data-id="{task.pk}"] rect').first.bounding_box()
    assert shadow["x"] == pytest.approx(bar["x"], abs=2)  # the shadow stayed where the plan was
    assert moved["x"] > bar["x"] + 2 * ppd * scale
    page.reload()  # the choice is remembered
    assert page.locator("svg.gantt text.bl-d").text_content().endswith("+3 d")
