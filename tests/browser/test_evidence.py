"""The evidence journey: a member uploads a PDF and a photo, a reviewer rejects one and accepts the other, the
member reads why and completes the task."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from evidence import samples
from evidence.models import Evidence
from projects.tests.factories import task_in
from tests.browser.test_workspace import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")


def test_upload_review_and_complete(page, live_server, member):
    today = member.org.today()
    task = task_in(
        member.org, member, name="Replace the depot gate", requires_evidence=True,
        start_date=today - datetime.timedelta(days=5), end_date=today + datetime.timedelta(days=5),
    )  # fmt: skip
    reviewer = UserFactory(org=member.org, role=Role.REVIEWER, name="Rita Reviewer")

    sign_in(page, live_server, member)
    page.goto(live_server.url + task.get_absolute_url())
    assert "Cannot be completed yet." in page.locator("#evidence").inner_text()
    page.get_by_label("Files").set_input_files([
        {"name": "gate-report.pdf", "mimeType": "application/pdf", "buffer": samples.pdf("Depot gate replaced")},
        {"name": "gate.jpg", "mimeType": "image/jpeg", "buffer": samples.photo("gate")},
    ])  # fmt: skip
    page.get_by_label("Note (optional)").fill("Both sides of the new gate")
    page.get_by_role("button", name="Upload evidence").click()
    assert "Uploaded evidence: “gate-report.pdf”, “gate.jpg”" in page.get_by_role("status").first.inner_text()
    panel = page.locator("#evidence")
    assert panel.locator('[data-state="pending"]').count() == 2
    assert "2 item(s) wait for a reviewer" in panel.inner_text()
    sign_out(page)

    sign_in(page, live_server, reviewer)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("link", name="gate-report.pdf")).to_be_visible()  # waits for the queue to load
    page.get_by_role("link", name="gate-report.pdf").click()
    assert page.locator("iframe.viewer").get_attribute("src").startswith("http://127.0.0.1")
    page.get_by_label("Reject").check()
    page.get_by_role("button", name="Record decision").click()
    assert "Say why" in page.locator(".error").inner_text()  # a rejection needs a comment
    page.get_by_label("Reject").check()
    page.get_by_label("Comment").fill("The report is not signed: upload the signed copy")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/reviews/")
    page.get_by_role("link", name="gate.jpg").click()
    image = page.locator("img.viewer")
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) == 640  # from S3
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url("**/reviews/")
    assert "Nothing waits for review" in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, live_server, member)
    page.goto(live_server.url + task.get_absolute_url())
    panel = page.locator("#evidence")
    assert "Accepted evidence is on file" in panel.inner_text()
    assert "Rejected by Rita Reviewer: “The report is not signed: upload the signed copy”" in panel.inner_text()
    page.get_by_label("Status").select_option("completed")
    page.get_by_role("button", name="Save status").click()
    assert "Completed" in page.get_by_role("heading", level=1).inner_text()
    assert Evidence.objects.filter(task=task).count() == 2
