"""The alerts journey: open /alerts/, acknowledge an alert with a note, see it leave the open list."""

import pytest

from accounts.tests.factories import PASSWORD
from watchdog.models import WatchdogAlert
from watchdog.scan import scan
from watchdog.tests.factories import plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_acknowledge_an_alert(page, live_server, manager):
    org = manager.org
    situation = plan(org, manager)
    situation.task(start=-20, end=-9, name="Pour the slab")
    situation.task(start=-20, end=-2, name="Order the steel")
    scan(org=org)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    rows = page.locator("tr.alert-row")
    assert rows.count() == 2
    assert "Pour the slab" in rows.first.inner_text() and "Red" in rows.first.inner_text()  # worst first

    slab = WatchdogAlert.objects.get(data__name="Pour the slab")
    row = page.locator(f"#alert-{slab.pk}")
    row.get_by_label("Note for").fill("Concrete rebooked for Monday")
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector(".messages")
    assert "Acknowledged" in page.locator(".messages").inner_text()
    assert page.locator(f"#alert-{slab.pk}").count() == 0
    assert page.locator("tr.alert-row").count() == 1

    page.get_by_role("navigation", name="Alert lists").get_by_role("link", name="Acknowledged").click()
    assert "Concrete rebooked for Monday" in page.locator(f"#alert-{slab.pk}").inner_text()
