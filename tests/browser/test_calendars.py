"""Working calendars in a real browser: an org admin sets the region and loads a year's public holidays, and the
project's Gantt shades them at day zoom."""

import datetime

import pytest

from accounts.permissions import Role
from accounts.tests.factories import PASSWORD
from projects import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_an_admin_loads_public_holidays_and_the_gantt_shades_them(page, live_server, make_user):
    admin = make_user(Role.ORG_ADMIN, name="Ada Admin")
    project = services.create_project(actor=admin, org=admin.org, name="Reservoir", owner=admin,
                                      start_date=D(2026, 12, 1), end_date=D(2027, 1, 31))  # fmt: skip
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/calendar/")
    page.get_by_label("Public holidays of", exact=True).select_option("AU")
    page.get_by_label("State or region").fill("NSW")
    page.get_by_role("button", name="Save calendar").click()
    page.get_by_text("Working calendar saved.").wait_for()
    page.get_by_label("Year to load").fill("2026")
    page.get_by_role("button", name="Load public holidays").click()
    page.get_by_text("Loaded 13 public holidays of 2026.").wait_for()
    assert page.get_by_label("Name of the holiday on 25 Dec 2026").input_value() == "Christmas Day"

    page.goto(f"{live_server.url}/projects/{project.pk}/gantt/?zoom=day")
    page.goto(f"{live_server.url}/projects/{project.pk}/gantt/?start=2026-12-21")
    page.wait_for_selector('svg.gantt[data-zoom="day"]')
    # Christmas (Fri 25), the weekend and Boxing Day observed (Mon 28): one run of four days, 28 px each, from
    # 300 px (the labels) + 4 days into the view.
    run = page.locator('svg.gantt rect.we[x="412.0"]')
    assert run.get_attribute("width") == "112.0"
