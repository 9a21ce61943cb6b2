import pytest

from accounts.tests.factories import PASSWORD, TeamMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_see_the_shell_and_sign_out(page, live_server, member):
    TeamMembershipFactory(team__org=member.org, team__name="Pipes crew", user=member)
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Harbour Water"
    assert page.get_by_text("Pipes crew").is_visible()
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").get_attribute("aria-current")
        == "page"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert "You are signed out." in page.content()
