"""The baseline pages: the project panel, capture, variance table and CSV, the Gantt overlay; permissions,
tenancy and query counts."""

import csv
import io
import re

import pytest

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from baselines import services
from baselines.models import Baseline
from pit.models import AuditLog
from projects import services as project_services

from .conftest import DAY, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(plan, manager):
    project, _, _, tasks = plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    # After the capture, task 2 slips from Fri 12 Mar to Mon 15 Mar: +1 working day.
    project_services.update(actor=manager, obj=tasks[1], start_date=tasks[1].start_date + 3 * DAY,
                            end_date=tasks[1].end_date + 3 * DAY)  # fmt: skip
    return project, tasks, baseline


def test_project_page_lists_baselines_with_capture_form_for_planners_only(client, captured, manager, member):
    project, _, baseline = captured
    client.force_login(manager)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Approved plan" in page and "reference" in page
    assert f"/baselines/{baseline.pk}/" in page and f"/projects/{project.pk}/gantt/?baseline={baseline.pk}" in page
    assert "Capture baseline" in page
    client.force_login(member)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "Approved plan" in page and "Capture baseline" not in page and "Make reference" not in page


def test_capture_from_the_page_and_its_refusals(client, plan, manager, member):
    project, *_ = plan
    url = f"/projects/{project.pk}/baselines/"
    client.force_login(member)
    assert client.post(url, {"name": "Sneaky"}).status_code == 403
    assert not Baseline.objects.exists()
    client.force_login(manager)
    response = client.post(url, {"name": "Approved plan"}, follow=True)
    assert "Captured the baseline “Approved plan”: 3 task(s)." in response.content.decode()
    response = client.post(url, {"name": ""}, follow=True)
    assert "Give the baseline a name" in response.content.decode()
    response = client.post(url, {"name": "APPROVED plan"}, follow=True)
    assert "already has a baseline called" in response.content.decode()
    assert Baseline.objects.filter(project=project).count() == 1


def test_reference_rename_and_delete_need_plan_and_are_audited(client, captured, manager, member):
    project, _, first = captured
    second = services.capture(actor=manager, project=project, name="Re-plan")
    client.force_login(member)
    for action in ("reference", "delete", "rename"):
        assert client.post(f"/baselines/{second.pk}/{action}/", {"reference": "1", "name": "x"}).status_code == 403
    client.force_login(manager)
    client.post(f"/baselines/{second.pk}/reference/", {"reference": "1"})
    assert list(Baseline.objects.filter(is_reference=True)) == [second]
    response = client.post(f"/baselines/{second.pk}/rename/", {"name": ""}, follow=True)
    assert "Give the baseline a name" in response.content.decode()
    client.post(f"/baselines/{second.pk}/rename/", {"name": "Re-plan March"})
    client.post(f"/baselines/{first.pk}/delete/")
    assert list(Baseline.objects.values_list("name", flat=True)) == ["Re-plan March"]
    assert AuditLog.objects.filter(table_name="baseline", action="DELETE", record_id=str(first.pk)).exists()


def test_variance_page_shows_slip_in_working_days_and_the_total(client, captured, manager):
    project, tasks, baseline = captured
    client.force_login(manager)
    page = client.get(f"/baselines/{baseline.pk}/").content.decode()
    assert "Variance: Approved plan" in page
    assert "8 Mar 2027 – 12 Mar 2027" in page and "11 Mar 2027 – 15 Mar 2027" in page  # task 2 then and now
    assert "+3 d" in page and "+1 d" in page  # start Mon 8 → Thu 11 (3), finish Fri 12 → Mon 15 (1)
    # The plan's finish (task 3, Fri 19 Mar) did not move: the total slip is 0 d.
    assert '<dd id="total-slip" class="">0 d</dd>' in page
    # In working days the chain had no float at capture (Fri 5 → Mon 8 is the next working day): all three tasks
    # were critical. Task 2 now starts three working days after task 1 ends, so task 1 left the critical path.
    assert "<strong>No longer critical</strong>: Task 1</p>" in page
    changed = client.get(f"/baselines/{baseline.pk}/?show=slipped").content.decode()
    table = changed[changed.index("<table") :]
    assert "Task 2" in table and "Task 1" not in table
    # A later change shows at once (the figures are cached under the plan's version): the last task, and with it
    # the plan's finish, moves from Fri 19 to Tue 23 Mar: +2 working days.
    project_services.update(actor=manager, obj=tasks[2], end_date=tasks[2].end_date + 4 * DAY)
    page = client.get(f"/baselines/{baseline.pk}/").content.decode()
    assert '<dd id="total-slip" class="bl-late">+2 d</dd>' in page


def test_variance_csv_has_every_item(client, captured, manager):
    project, tasks, baseline = captured
    client.force_login(manager)
    response = client.get(f"/baselines/{baseline.pk}/variance.csv")
    assert response["Content-Disposition"].endswith('-variance.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["kind"] for row in rows] == ["milestone", "deliverable", "task", "task", "task"]
    task2 = next(row for row in rows if row["id"] == str(tasks[1].pk))
    assert (task2["baseline_finish"], task2["current_finish"], task2["finish_slip_working_days"], task2["state"]) == (
        "2027-03-12", "2027-03-15", "1", "changed")  # fmt: skip


def test_another_organisations_baseline_is_404(client, captured, other_org):
    project, _, baseline = captured
    outsider = build_plan(UserFactory(org=other_org, role=Role.MANAGER))
    client.force_login(outsider[0].owner)
    for url in (f"/baselines/{baseline.pk}/", f"/baselines/{baseline.pk}/variance.csv",
                f"/projects/{outsider[0].pk}/gantt/?baseline={baseline.pk}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    for action in ("reference", "delete", "rename"):
        assert client.post(f"/baselines/{baseline.pk}/{action}/", {"name": "x"}).status_code == 404
    assert client.post(f"/projects/{project.pk}/baselines/", {"name": "x"}).status_code == 404
    assert Baseline.objects.get(pk=baseline.pk).name == "Approved plan"


def test_gantt_shows_the_chosen_baseline_remembers_it_and_hides_it(client, captured, manager):
    project, tasks, baseline = captured
    client.force_login(manager)
    url = f"/projects/{project.pk}/gantt/"
    assert 'class="bl"' not in client.get(url).content.decode()
    page = client.get(f"{url}?baseline={baseline.pk}").content.decode()
    shadows = re.search(r'<path class="bl"[^>]* d="([^"]*)"', page).group(1)
    assert shadows.count("M") == 5  # milestone, deliverable and three tasks
    assert page.count('class="bl-d bl-late"') == 1 and "</title>+1 d</text>" in page  # only task 2 drifted
    assert "Baseline 8 Mar 2027 – 12 Mar 2027" in page  # its label's tooltip
    assert f'<option value="{baseline.pk}" selected>' in page and "Variance table" in page
    assert shadows in client.get(url).content.decode()  # remembered
    moved = client.post(f"{url}move/", {"task": tasks[0].pk, "start_date": tasks[0].start_date + 3 * DAY,
                                        "end_date": tasks[0].end_date + 3 * DAY}).json()  # fmt: skip
    # the drag's answer draws the baseline too; task 1 kept its 5 working days, so it ends Wed 10 Mar: +3 d
    assert moved["ok"] and moved["svg"].count("</title>+1 d</text>") == 1 and "</title>+3 d</text>" in moved["svg"]
    assert 'class="bl"' not in client.get(f"{url}?baseline=").content.decode()
    assert 'class="bl"' not in client.get(url).content.decode()


def test_pages_queries_do_not_grow_with_the_plan(client, captured, manager, count_queries):
    project, tasks, baseline = captured
    client.force_login(manager)

    def pages(shown):
        client.get(f"/projects/{project.pk}/gantt/?baseline={shown.pk}")  # chosen, so the Gantt draws it
        urls = [f"/baselines/{shown.pk}/", f"/projects/{project.pk}/", f"/projects/{project.pk}/gantt/"]
        return [count_queries(url) for url in urls]

    before = pages(baseline)
    for i in range(30):
        project_services.create_task(actor=manager, deliverable=tasks[0].deliverable, name=f"More {i}", owner=manager,
                                     start_date=tasks[0].start_date, end_date=tasks[0].end_date)  # fmt: skip
    assert pages(services.capture(actor=manager, project=project, name="Bigger")) == before
    assert before[0] <= 12
