"""Demo decisions for `seed_demo` (and so `make run`): per organisation, outcomes with hypotheses, stakeholders,
decisions in every status — some past their SLA and escalated, some blocking tasks — with comment threads, and a
few ISMS and risk links. Made through the services, so counters, audit rows and timelines are real."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Team, User
from accounts.permissions import Role
from decisions import escalation
from decisions.enums import DecisionPriority, DecisionType
from decisions.models import Stakeholder
from decisions.services import comments, links, outcomes, stakeholders
from decisions.services import decision as decisions
from projects.models import Task

TOPICS = [
    ("Replace or reline the Riverside trunk main?", DecisionType.TECHNICAL,
     [("Reline in place", ["No trench", "Half the cost"], ["Shorter life"]),
      ("Replace with DN600 PE", ["80-year life"], ["Road closure for six weeks"])]),
    ("Which SCADA vendor for the pump stations?", DecisionType.ARCHITECTURAL,
     [("Stay with the current vendor", ["Staff know it"], ["End of support 2028"]),
      ("Move to an open-protocol platform", ["No lock-in"], ["Retraining"])]),
    ("Night works on Harbour Road?", DecisionType.OPERATIONAL,
     [("Night works", ["No traffic impact"], ["Noise permit needed"]), ("Day works with detour", ["Cheaper"], [])]),
    ("Bring meter reading in-house?", DecisionType.RESOURCE,
     [("In-house team", ["Control"], ["Hiring"]), ("Renew the contract", ["No change"], ["Price up 12 %"])]),
    ("Defer the reservoir roof to next financial year?", DecisionType.TIMELINE,
     [("Defer", ["Budget relief"], ["Corrosion risk"]), ("Proceed", ["Risk retired"], ["Overspend"])]),
    ("Drop the customer portal from phase 1?", DecisionType.SCOPE,
     [("Drop it", ["On time"], ["Customer complaints"]), ("Keep it", ["Promise kept"], ["Three weeks late"])]),
    ("Adopt the new asset naming standard?", DecisionType.STRATEGIC,
     [("Adopt now", ["One standard"], ["Rework of 4,000 tags"]), ("Adopt for new assets only", ["Cheap"], [])]),
]  # fmt: skip
# (status to end in, hours ago it was raised, SLA hours): overdue ones are older than their SLA
PLAN = [("NEEDS_INPUT", 80, 24), ("UNDER_DISCUSSION", 30, 72), ("DECIDED", 200, 120), ("IMPLEMENTED", 600, 240),
        ("DEFERRED", 100, 72), ("CANCELLED", 50, 120), ("UNDER_DISCUSSION", 300, 48)]  # fmt: skip


def _options(spec) -> list[dict]:
    return [{"id": f"o{n}", "title": t, "pros": pros, "cons": cons} for n, (t, pros, cons) in enumerate(spec, 1)]


def _people(org) -> dict[str, User]:
    users = User.objects.filter(org=org, is_system=False, is_active=True).order_by("pk")
    by_role = {}
    for user in users:
        by_role.setdefault(user.role, user)
    return {"admin": by_role[Role.ORG_ADMIN], "manager": by_role[Role.MANAGER],
            "member": by_role.get(Role.MEMBER, by_role[Role.MANAGER]),
            "reviewer": by_role.get(Role.REVIEWER, by_role[Role.MANAGER])}  # fmt: skip


def _outcome(people, org):
    outcome = outcomes.create_outcome(
        actor=people["manager"], org=org, title="Cut unplanned main breaks by 30 %", priority="HIGH",
        success_criteria="Fewer than 70 breaks a year across the network, two years running.",
        owner=people["manager"], team=Team.objects.filter(org=org).first(),
    )  # fmt: skip
    outcomes.transition_outcome(actor=people["manager"], outcome=outcome, status="NOT_STARTED")
    outcomes.transition_outcome(actor=people["manager"], outcome=outcome, status="IN_PROGRESS")
    pressure = outcomes.create_hypothesis(
        actor=people["manager"], outcome=outcome, title="Pressure management", owner=people["member"],
        belief="lowering night pressure in zones 3 and 4", expected_result="20 % fewer breaks there within a year",
    )  # fmt: skip
    for status in ("READY", "BUILDING", "DEPLOYED", "MEASURING"):
        outcomes.transition_hypothesis(actor=people["manager"], hypothesis=pressure, status=status)
    sensors = outcomes.create_hypothesis(
        actor=people["manager"], outcome=outcome, title="Acoustic leak sensors", owner=people["reviewer"],
        belief="finding leaks before they burst", expected_result="a third of breaks caught as leaks",
    )  # fmt: skip
    outcomes.transition_hypothesis(actor=people["manager"], hypothesis=sensors, status="READY")
    outcomes.transition_hypothesis(actor=people["manager"], hypothesis=sensors, status="BLOCKED",
                                   notes="Waiting for the SCADA vendor decision")  # fmt: skip
    return outcome, pressure


def _discuss(rng, decision, people) -> None:
    first = comments.add_comment(actor=people["member"], decision=decision, option_id="o1",
                                 content="The crews prefer this; we did it on Station Street last year.")  # fmt: skip
    comments.add_comment(
        actor=people["reviewer"],
        decision=decision,
        parent=first,
        content=f"Agreed, @{people['manager'].email.split('@')[0]} can you confirm the budget?",
    )
    comments.add_comment(actor=people["manager"], decision=decision, option_id="o2",
                         content="This one costs more now but saves us the rework later.")  # fmt: skip
    if rng.random() < 0.5:
        comments.add_comment(actor=people["admin"], decision=decision, content="Please decide by the next board.")


def _end_in(decision, status: str, people, now) -> None:
    manager = people["manager"]
    if status == "UNDER_DISCUSSION":
        decisions.transition(actor=manager, decision=decision, status=status)
    elif status in ("DECIDED", "IMPLEMENTED"):
        decisions.decide(actor=manager, decision=decision, option_id="o1", now=now,
                         rationale="Lower whole-of-life cost, and the crews know the method.")  # fmt: skip
        if status == "IMPLEMENTED":
            decisions.transition(actor=manager, decision=decision, status=status)
    elif status == "DEFERRED":
        decisions.defer(actor=manager, decision=decision, reason="Waiting for the council's permit ruling.")
    elif status == "CANCELLED":
        decisions.transition(actor=manager, decision=decision, status=status, reason="Overtaken by the new plan.")


def _seed_org(rng, org) -> None:
    people = _people(org)
    now = timezone.now()
    outcome, hypothesis = _outcome(people, org)
    internal = Stakeholder.objects.filter(org=org, user=people["manager"]).first() or stakeholders.create_stakeholder(
        actor=people["manager"],
        org=org,
        name=people["manager"].name,
        email=people["manager"].email,
        user=people["manager"],
        expertise=["networks", "budgets"],
        title="Network manager",
    )  # fmt: skip (seeding again adds decisions, not a second record of the same person)
    stakeholders.create_stakeholder(
        actor=people["manager"], org=org, name="Dana Regulator", email="dana@epa.example", type="REGULATORY",
        organization="Environment Protection Authority", expertise=["licences", "discharge"],
    )  # fmt: skip
    tasks = list(Task.objects.filter(project__org=org).exclude(status="completed").order_by("pk")[:40])
    for n, ((title, kind, options), (status, hours_ago, sla)) in enumerate(zip(TOPICS, PLAN, strict=True)):
        task = tasks[n * 3] if len(tasks) > n * 3 else None
        blocked = [tasks[n * 3 + 1]] if status in ("NEEDS_INPUT", "UNDER_DISCUSSION") and len(tasks) > n * 3 + 1 else []
        decision = decisions.create_decision(
            actor=people["member"], org=org, title=title, decision_type=kind, options=_options(options),
            context="Raised at the weekly delivery meeting.", priority=rng.choice(list(DecisionPriority)),
            owner=people["manager"], assigned_to=people["member"] if n % 2 else people["reviewer"],
            stakeholder=internal, sla_hours=sla, task=task, blocked_tasks=blocked,
            outcome=outcome if n < 3 else None, hypothesis=hypothesis if n == 0 else None,
            now=now - timedelta(hours=hours_ago),
        )  # fmt: skip
        _discuss(rng, decision, people)
        _end_in(decision, status, people, now - timedelta(hours=hours_ago / 2))
    escalation.escalate_overdue(now=now, org=org)
    for task in Task.objects.filter(project__org=org, isms_links__isnull=True, risk_links__isnull=True)[:3]:
        links.link_isms(actor=people["manager"], task=task, criteria_code="A.5.23", criteria_version="ISO 27001:2022")
        links.link_risk(actor=people["manager"], task=task, risk_id=f"R-{100 + task.pk % 900}")


def seed(orgs, *, seed: int) -> None:
    rng = random.Random(seed)
    for org in orgs:
        with transaction.atomic():
            _seed_org(rng, org)
