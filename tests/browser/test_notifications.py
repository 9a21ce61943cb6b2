"""The notifications journey: a manager assigns a task in one browser; the assignee's bell counts it, the inbox
lists it, and marking it read clears the count."""

import pytest

from projects.tests.factories import task_in
from tests.browser.test_workspace import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_assignment_rings_the_bell_and_is_read_in_the_inbox(browser, page, live_server, manager, member):
    task = task_in(manager.org, manager, name="Flush the hydrants")
    sign_in(page, live_server, member)
    bell = page.get_by_test_id("bell")
    assert bell.get_attribute("aria-label") == "Notifications: 0 unread"

    planner = browser.new_context(locale="en-AU").new_page()
    sign_in(planner, live_server, manager)
    planner.goto(f"{live_server.url}/tasks/{task.pk}/edit/")
    planner.get_by_label("Assignees").select_option(value=str(member.pk))
    planner.get_by_role("button", name="Save").click()
    planner.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
    planner.context.close()

    page.reload()
    assert bell.get_attribute("aria-label") == "Notifications: 1 unread"
    assert bell.locator("[data-role=unread]").inner_text() == "1"
    bell.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    item = page.locator(".inbox-item.unread")
    assert "Task assigned to you: Flush the hydrants" in item.inner_text()
    item.get_by_role("button", name="Mark read").click()
    assert "marked read" in page.get_by_role("status").inner_text()
    assert bell.get_attribute("aria-label") == "Notifications: 0 unread"
    assert page.locator(".inbox-item.unread").count() == 0

    page.get_by_role("button", name="Task assigned to you: Flush the hydrants").click()
    page.wait_for_url(f"{live_server.url}/tasks/{task.pk}/")
