"""Blocked tasks and skills credits: the two rules this domain adds to task completion, and the credits report."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import TeamFactory, TeamMembershipFactory, UserFactory
from decisions.services import decision as decisions
from decisions.tests.factories import raise_decision
from evidence.models import Evidence
from pit.enums import EvidenceType, ReviewDecision, TaskStatus
from projects import services
from projects.models import SkillsCredit, Task
from projects.tests.factories import task_in

pytestmark = pytest.mark.django_db


def test_a_task_waits_for_every_undecided_decision_blocking_it(org, manager):
    task = task_in(org, manager)
    first = raise_decision(manager, title="Pump brand", blocked_tasks=[task])
    second = raise_decision(manager, title="Night works", blocked_tasks=[task])
    decisions.defer(actor=manager, decision=second, reason="Council permit")
    with pytest.raises(ValidationError, match="decide “Pump brand”, “Night works” before completing"):
        services.set_task_status(actor=manager, task=task, status=TaskStatus.COMPLETED)
    with pytest.raises(ValidationError):
        services.set_task_progress(actor=manager, task=task, progress_percent=100)
    decisions.decide(actor=manager, decision=first, option_id="o1", rationale="Spares on hand")
    with pytest.raises(ValidationError, match="Night works"):
        services.set_task_status(actor=manager, task=task, status=TaskStatus.COMPLETED)
    decisions.transition(actor=manager, decision=second, status="CANCELLED")
    services.set_task_status(actor=manager, task=task, status=TaskStatus.COMPLETED)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED


def test_blocking_can_be_set_on_edit_and_other_tasks_are_free(org, manager):
    blocked, free = task_in(org, manager), task_in(org, manager)
    decision = raise_decision(manager)
    decisions.update_decision(actor=manager, decision=decision, blocked_tasks=[blocked])
    services.set_task_status(actor=manager, task=free, status=TaskStatus.COMPLETED)
    with pytest.raises(ValidationError):
        services.set_task_status(actor=manager, task=blocked, status=TaskStatus.COMPLETED)


def test_completing_a_task_earns_its_owner_a_credit_once(org, member, settings):
    settings.PIT_SKILLS_CREDITS_PER_DAY = 2
    task = task_in(org, member)  # ten days
    services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    credit = SkillsCredit.objects.get()
    assert (credit.user, credit.task, credit.credit_value) == (member, task, 20)
    services.set_task_status(actor=member, task=task, status="open")
    services.set_task_progress(actor=member, task=task, progress_percent=100)
    assert SkillsCredit.objects.count() == 1


def test_no_credit_without_the_accepted_evidence_a_task_requires(org, member):
    task = task_in(org, member, requires_evidence=True)
    with pytest.raises(ValidationError):
        services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    assert not SkillsCredit.objects.exists()
    Evidence.objects.create(
        task=task, uploaded_by=member, file_url="k/1.pdf", file_type=EvidenceType.DOCUMENT,
        review_state=ReviewDecision.ACCEPTED,
    )  # fmt: skip
    services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    assert SkillsCredit.objects.get().credit_value == 10


def test_credits_per_person_and_team_with_csv(org, manager, member, client):
    helper = UserFactory(org=org, name="=Hal Helper")
    team = TeamFactory(org=org, name="Networks", manager=manager)
    TeamMembershipFactory(team=team, user=member)
    TeamMembershipFactory(team=team, user=helper)
    for owner in (member, member, helper):
        services.set_task_status(actor=owner, task=task_in(org, owner), status=TaskStatus.COMPLETED)
    client.force_login(manager)
    today = org.today().isoformat()
    page = client.get(f"/credits/?start={today}&end={today}&by=person").content.decode()
    assert page.index(member.name) < page.index("=Hal Helper")  # 20 credits before 10
    response = client.get(f"/credits/?start={today}&end={today}&by=team&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["team", "credits", "tasks"], ["Networks", "30", "3"]]
    response = client.get(f"/credits/?start={today}&end={today}&by=person&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["'=Hal Helper", "10", "1"] in rows  # never a formula in a spreadsheet
    bad = client.get(f"/credits/?start={today}&end=2000-01-01&by=person")
    assert "The end of the period must be on or after its start." in bad.content.decode()
    client.force_login(member)
    assert client.get("/credits/").status_code == 403


def test_gantt_markers_are_the_undecided_decisions_of_a_project(org, manager):
    from decisions.selectors import gantt_markers

    task = task_in(org, manager)
    other = task_in(org, manager)
    blocking = raise_decision(manager, title="Blocks a task", blocked_tasks=[task])
    about = raise_decision(manager, title="About the project", project=task.project)
    done = raise_decision(manager, title="Decided", project=task.project)
    decisions.decide(actor=manager, decision=done, option_id="o1", rationale="ok")
    raise_decision(manager, title="Elsewhere", blocked_tasks=[other])
    markers = gantt_markers(task.project)
    assert [(m["id"], m["tasks"]) for m in markers] == [(blocking.pk, [task.pk]), (about.pk, [])]
    assert markers[0]["due"] == blocking.due_at.date()


def test_a_decision_follows_the_item_it_is_about(org, manager):
    task, elsewhere = task_in(org, manager), task_in(org, manager)
    decision = raise_decision(manager, task=task)
    assert (decision.project, decision.milestone, decision.deliverable) == (task.project, task.milestone,
                                                                           task.deliverable)  # fmt: skip
    moved = decisions.update_decision(actor=manager, decision=decision, task=None, project=elsewhere.project)
    assert (moved.project, moved.milestone, moved.deliverable) == (elsewhere.project, None, None)


def test_an_undecided_decision_is_a_marker_at_its_due_date_on_the_gantt(org, manager, manager_client):
    task = task_in(org, manager, name="Fit the pumps")
    raised = datetime.datetime.combine(task.start_date, datetime.time(9), tzinfo=datetime.UTC)  # inside the chart
    decision = raise_decision(manager, title="Pump brand", blocked_tasks=[task], now=raised, sla_hours=24 * 5)
    svg = manager_client.get(f"/projects/{task.project_id}/gantt.svg").content.decode()
    marker = f'<a href="/decisions/{decision.pk}/" class="decision"'
    assert marker in svg
    due = decision.due_at.astimezone(org.tz)  # the day where the organisation works
    assert f"Decision due {due:%d %b %Y}: Pump brand. It blocks 1 task here." in svg
    decisions.decide(actor=manager, decision=decision, option_id="o1", rationale="Spares on hand")
    assert marker not in manager_client.get(f"/projects/{task.project_id}/gantt.svg").content.decode()
