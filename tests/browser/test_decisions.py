"""The decision journey: raise a decision with two options, argue for one, decide it with a rationale, read the
timeline."""

import pytest

from tests.browser.test_workspace import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_raise_discuss_and_decide(page, live_server, manager):
    sign_in(page, live_server, manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decisions").click()
    page.get_by_role("link", name="Raise a decision").click()
    page.get_by_label("Title", exact=True).fill("Which chlorinator for Station 2?")
    page.get_by_label("Priority").select_option("HIGH")
    page.get_by_label("Option 1", exact=True).fill("Gas chlorinator")
    page.get_by_label("Option 1: pros").fill("Cheap to run")
    page.get_by_label("Option 2", exact=True).fill("Hypochlorite dosing")
    page.get_by_label("Option 2: cons").fill("Bulk deliveries")
    page.get_by_role("button", name="Raise decision").click()
    assert "Which chlorinator for Station 2?" in page.get_by_role("heading", level=1).inner_text()

    option_two = page.locator("#option-o2")
    assert "Bulk deliveries" in option_two.inner_text()
    page.get_by_label("Comment", exact=True).fill("Safer for the operators: no gas on site.")
    page.get_by_label("About option").select_option(label="Hypochlorite dosing")
    page.get_by_role("button", name="Comment", exact=True).click()
    assert "Safer for the operators" in page.locator("#option-o2").inner_text()
    assert "Safer for the operators" not in page.locator("#option-o1").inner_text()

    page.get_by_role("radio", name="Hypochlorite dosing").check()
    page.get_by_label("Rationale").fill("Operator safety outweighs the delivery cost.")
    page.get_by_role("button", name="Record the decision").click()
    assert "Decided" in page.get_by_role("heading", level=1).inner_text()
    assert "Decided: Hypochlorite dosing" in page.locator("#outcome-of-decision").inner_text()
    timeline = page.locator("#timeline").inner_text()
    assert timeline.index("raised the decision") < timeline.index("commented") < timeline.index("decided:")
    assert "Operator safety outweighs the delivery cost." in timeline
