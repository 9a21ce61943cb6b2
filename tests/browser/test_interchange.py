"""The import journey: upload a spreadsheet with a problem, read it in the preview, upload the fixed file, confirm,
land on the new project, and export it."""

import pytest

from interchange.formats import sheet
from tests.browser.test_workspace import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ",".join(sheet.COLUMNS)
PLAN = f"{HEADER}\n1,milestone,Design,,,,,,,\n2,deliverable,Drawings,,,,,,,\n3,task,Survey,2026-03-02,{{finish}},,,,,\n"


def test_import_a_plan_from_a_spreadsheet(page, live_server, manager, tmp_path):
    broken, fixed = tmp_path / "broken.csv", tmp_path / "plan.csv"
    broken.write_text(PLAN.format(finish="sometime"))
    fixed.write_text(PLAN.format(finish="2026-03-06"))
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="Import a plan").click()
    page.get_by_label("Plan file").set_input_files(str(broken))
    page.get_by_label("New project's name").fill("Pump station")
    page.get_by_role("button", name="Preview").click()
    problems = page.locator(".import-problems").inner_text()
    assert "Finish “sometime” is not a date" in problems and "4" in problems
    assert page.get_by_role("button", name="Import 1 task(s)").count() == 0

    page.get_by_role("button", name="Discard").click()
    page.get_by_label("Plan file").set_input_files(str(fixed))
    page.get_by_label("New project's name").fill("Pump station")
    page.get_by_role("button", name="Preview").click()
    assert "1 milestone(s), 1 deliverable(s), 1 task(s)" in page.locator("#import-counts").inner_text()
    page.get_by_role("button", name="Import 1 task(s)").click()
    assert "Pump station" in page.get_by_role("heading", level=1).inner_text()
    assert "(1 milestone(s), 1 task(s))" in page.locator("#plan-heading").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="MS Project XML").click()
    assert download.value.suggested_filename == "pump-station.xml"
