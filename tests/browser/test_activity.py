"""What changed since, in the browser: change a task, compare with last week, see the row marked in the tree and on
the Gantt, then read the project's history."""

import pytest

from activity.tests.factories import plan
from projects import services
from tests.browser.test_workspace import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compare_with_last_week_and_read_the_history(page, live_server, org, manager):
    project, _, _, tasks = plan(org, manager, tasks=2)
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=40)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("button", name="Last week").click()
    panel = page.locator("#changes-since")
    assert "4 added" in panel.inner_text()  # the plan was made today: everything is new since last week
    row = page.locator(f"#task-{tasks[0].pk}")
    assert "chg-added" in row.get_attribute("class") and row.locator(".chg-badge").text_content() == "added"
    page.goto(f"{live_server.url}/projects/{project.pk}/gantt/?since=week")
    assert page.locator("svg.gantt rect.chg-row").count() == 4  # milestone, deliverable and both tasks
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_role("link", name="History of this project").click()
    feed = page.locator(".activity-feed").inner_text()
    assert "Max Manager set Task 0’s progress from 0 % to 40 %" in feed
    page.get_by_label("Change").select_option("progress")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(".activity-entry").count() == 1
