"""The workspace journey: plan a project down to a task, move its progress, see the roll-ups, find it in My work."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from projects import services
from projects.models import Task
from projects.selectors import TREE_TASK_ROWS
from projects.tests.factories import big_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def fill_form(page, fields: dict, submit: str = "Create"):
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=submit).click()


def test_plan_a_project_and_watch_the_roll_ups(page, live_server, manager):
    today = manager.org.today()
    start, end = (today - datetime.timedelta(days=30)).isoformat(), (today + datetime.timedelta(days=60)).isoformat()
    sign_in(page, live_server, manager)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="New project").click()
    fill_form(page, {"Name": "Reservoir lining", "Start date": start, "End date": end})
    assert page.get_by_role("heading", level=1).inner_text().startswith("Reservoir lining")

    page.get_by_role("link", name="Add milestone").first.click()
    fill_form(page, {"Name": "Preparation"})  # dates default to the project's
    page.get_by_role("link", name="Add deliverable").click()
    fill_form(page, {"Name": "Drained basin"})
    assert "Drained basin" in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Add task").first.click()
    fill_form(page, {"Name": "Open the scour valve", "CAPEX ($)": "2500"})
    assert "Open the scour valve" in page.get_by_role("heading", level=1).inner_text()

    page.get_by_label("Progress %").fill("40")
    page.get_by_role("button", name="Save progress").click()
    assert "40 % done" in page.get_by_role("status").inner_text()
    page.get_by_role("link", name="Reservoir lining").click()
    assert page.locator("#project-progress").inner_text().strip() == "40 %"
    assert "$2,500.00" in page.locator(".facts").inner_text()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    active = page.locator("#active")
    assert active.get_by_role("link", name="Open the scour valve").is_visible()
    active.get_by_label("Progress of Open the scour valve (%)").fill("70")
    active.get_by_role("button", name="Set %").click()  # enhanced: answered in place, no reload
    page.locator(".quick-result.ok").wait_for()
    assert active.locator('[data-role="progress"]').inner_text() == "70 %"
    page.goto(live_server.url + "/")
    assert "70 %" in page.get_by_role("row", name="Reservoir lining").inner_text()


def test_a_large_projects_later_deliverables_bring_their_tasks_when_opened(page, live_server, manager):
    project = big_project(manager.org, manager, tasks=TREE_TASK_ROWS + 300, milestones=2)
    last = Task.objects.get(project=project, name=f"Job {TREE_TASK_ROWS + 300}")
    services.set_task_progress(actor=manager, task=last, progress_percent=40)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/{project.pk}/?since=week")
    assert page.locator("tr[id^=task-]").count() == TREE_TASK_ROWS
    assert page.locator(f"#task-{last.pk}").count() == 0  # not sent with the page
    deliverable = page.locator(f"#deliverable-{last.deliverable_id}")
    deliverable.locator("summary").click()
    page.locator(f"#task-{last.pk}").wait_for()
    assert deliverable.locator("tbody tr").count() == 50
    assert deliverable.get_by_role("link", name="Show its 50 task(s)").count() == 0
    # "What changed since" marks the rows that came in later as it marks those sent with the page.
    assert page.locator(f"#task-{last.pk} .chg-badge").count() == 1
