"""The workspace journey: plan a project down to a task, move its progress, see the roll-ups, find it in My work."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD

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
