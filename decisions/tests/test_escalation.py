"""SLA and escalation with a fixed clock (`now=` passed to the services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import TeamFactory, TeamMembershipFactory
from decisions.enums import DecisionPriority, DecisionStatus
from decisions.escalation import escalate, escalate_overdue
from decisions.models import Decision, DecisionSettings
from decisions.services import decision as services
from decisions.tests.factories import NOW, raise_decision, stakeholder_for
from notifications.models import Notification
from pit.models import AuditLog, JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(org, make_user, member, org_admin):
    """member is in a team managed by boss; org_admin is the top of the ladder."""
    boss = make_user(Role.MANAGER, name="Bo Boss")
    team = TeamFactory(org=org, manager=boss)
    TeamMembershipFactory(team=team, user=member)
    return {"member": member, "boss": boss, "admin": org_admin}


def test_due_at_from_sla_hours_or_the_priority_default(org, manager):
    assert raise_decision(manager, sla_hours=10).due_at == NOW + timedelta(hours=10)
    assert raise_decision(manager, priority=DecisionPriority.BLOCKING).due_at == NOW + timedelta(hours=24)
    DecisionSettings.objects.create(org=org, sla_hours_low=48)
    low = raise_decision(manager, priority=DecisionPriority.LOW)
    assert low.due_at == NOW + timedelta(hours=48)
    changed = services.update_decision(actor=manager, decision=low, priority=DecisionPriority.BLOCKING)
    assert changed.due_at == NOW + timedelta(hours=24)  # counted from when it was raised


def test_escalates_one_level_at_a_time(ladder, manager):
    decision = raise_decision(manager, assigned_to=ladder["member"], sla_hours=8)
    assert escalate_overdue(now=NOW + timedelta(hours=7)).rows_changed == 0  # not due yet
    run = escalate_overdue(now=NOW + timedelta(hours=9))
    assert run.rows_changed == 1 and run.name == "decision-escalation"
    decision.refresh_from_db()
    assert (decision.escalation_level, decision.escalated_to) == (1, ladder["boss"])
    assert (
        Notification.objects.filter(user=ladder["boss"], event="decision_escalated", type="internal_message").count()
        == 1
    )
    # the boss gets the escalation interval (24 h) before the next step
    assert escalate_overdue(now=NOW + timedelta(hours=20)).rows_changed == 0
    escalate_overdue(now=NOW + timedelta(hours=9 + 24))
    decision.refresh_from_db()
    assert (decision.escalation_level, decision.escalated_to) == (2, ladder["admin"])
    assert escalate_overdue(now=NOW + timedelta(days=30)).rows_changed == 0  # the top
    steps = AuditLog.objects.filter(action="DECISION_ESCALATED", record_id=str(decision.pk)).order_by("pk")
    assert [s.after_state["escalation_level"] for s in steps] == [1, 2]
    assert {s.user.is_system for s in steps} == {True}


def test_nobody_at_a_level_is_passed_over(org, manager, member, org_admin):
    decision = raise_decision(manager, assigned_to=member, sla_hours=1)  # member is in no team
    escalate_overdue(now=NOW + timedelta(hours=2))
    decision.refresh_from_db()
    assert (decision.escalation_level, decision.escalated_to) == (2, org_admin)


def test_decided_deferred_and_other_orgs_decisions_do_not_escalate(ladder, manager, other_org):
    decided = raise_decision(manager, assigned_to=ladder["member"], sla_hours=1)
    services.decide(actor=manager, decision=decided, option_id="o1", rationale="Fast")
    deferred = raise_decision(manager, assigned_to=ladder["member"], sla_hours=1)
    services.defer(actor=manager, decision=deferred, reason="Budget")
    open_one = raise_decision(manager, assigned_to=ladder["member"], sla_hours=1)
    run = escalate_overdue(now=NOW + timedelta(hours=5), org=other_org)
    assert run.rows_changed == 0
    assert escalate_overdue(now=NOW + timedelta(hours=5)).rows_changed == 1
    assert list(Decision.objects.filter(escalation_level__gt=0).values_list("pk", flat=True)) == [open_one.pk]
    assert set(Decision.objects.overdue(NOW + timedelta(hours=5))) == {open_one}


def test_reopening_a_deferred_decision_restarts_its_sla(ladder, manager):
    decision = raise_decision(manager, assigned_to=ladder["member"], sla_hours=4)
    escalate_overdue(now=NOW + timedelta(hours=5))
    services.defer(actor=manager, decision=decision, reason="Waiting for a quote")
    reopened = services.transition(actor=manager, decision=decision, status=DecisionStatus.UNDER_DISCUSSION,
                                   now=NOW + timedelta(days=3))  # fmt: skip
    assert reopened.due_at == NOW + timedelta(days=3, hours=4)
    assert (reopened.escalation_level, reopened.escalated_to) == (1, ladder["boss"])  # the boss keeps it


def test_manual_escalation(ladder, manager):
    decision = raise_decision(manager, assigned_to=ladder["member"])
    stakeholder = stakeholder_for(ladder["member"])
    services.update_decision(actor=manager, decision=decision, stakeholder=stakeholder)
    escalate(actor=manager, decision=decision, reason="Crew waiting", now=NOW)
    escalate(actor=manager, decision=decision, now=NOW)
    decision.refresh_from_db()
    assert (decision.escalation_level, decision.escalated_to) == (2, ladder["admin"])
    with pytest.raises(ValidationError, match="cannot escalate further"):
        escalate(actor=manager, decision=decision, now=NOW)
    stakeholder.refresh_from_db()
    assert stakeholder.decisions_escalated == 1  # a decision counts once
    reason = AuditLog.objects.filter(action="DECISION_ESCALATED").order_by("pk").first().after_state["reason"]
    assert reason == "Crew waiting"


def test_the_job_runs_in_chunks(ladder, manager, monkeypatch):
    monkeypatch.setattr("decisions.escalation.CHUNK", 2)
    for _ in range(5):
        raise_decision(manager, assigned_to=ladder["member"], sla_hours=1)
    assert escalate_overdue(now=NOW + timedelta(hours=2)).rows_changed == 5
    assert Decision.objects.filter(escalation_level=1, escalated_to=ladder["boss"]).count() == 5


def test_one_run_tells_each_person_once(ladder, manager):
    for _ in range(3):
        raise_decision(manager, assigned_to=ladder["member"], sla_hours=1)
    escalate_overdue(now=NOW + timedelta(hours=2))
    told = Notification.objects.filter(user=ladder["boss"], event="decision_escalated", type="internal_message")
    assert told.count() == 1
    assert told.get().message.startswith("3 decisions past their due time were escalated to you")
    assert told.get().link == "/decisions/?overdue=on"


def test_a_decision_the_admin_holds_has_nowhere_to_go(org, manager, org_admin):
    decision = raise_decision(manager, assigned_to=org_admin, sla_hours=1)
    assert escalate_overdue(now=NOW + timedelta(hours=2)).rows_changed == 0
    with pytest.raises(ValidationError, match="nobody above"):
        escalate(actor=manager, decision=decision, now=NOW)


def test_the_beat_task_escalates_and_reports(ladder, manager):
    from decisions.tasks import escalate_overdue_task

    raise_decision(manager, assigned_to=ladder["member"], sla_hours=1, now=timezone.now() - timedelta(hours=3))
    result = escalate_overdue_task()
    assert result["escalated"] == 1 and JobRun.objects.get(pk=result["job_run"]).name == "decision-escalation"
    assert escalate_overdue_task()["escalated"] == 0  # idempotent within the interval
