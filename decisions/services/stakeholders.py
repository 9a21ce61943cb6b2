"""Stakeholders, and their decision counters.

The counters are kept by the services, not computed on read: the stakeholders page lists hundreds of people and
should not aggregate every decision each time. Each change is one `UPDATE stakeholder SET n = n + 1` in the
decision's own transaction, so two decisions taken at the same moment both count (the row lock orders the two
updates and each adds to what the other committed). `selectors.stakeholder_counts` computes the same figures from
the decisions; the tests compare the two.
"""

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest

from decisions.enums import UNDECIDED, DecisionStatus
from decisions.models import Stakeholder
from decisions.services.common import save
from pit import audit

FIELDS = ["name", "email", "title", "organization", "phone", "type", "user", "expertise", "preferred_contact_method",
          "availability_notes", "timezone", "is_active", "notes"]  # fmt: skip
DONE = (DecisionStatus.DECIDED, DecisionStatus.IMPLEMENTED)


@transaction.atomic
def create_stakeholder(*, actor, org, **fields) -> Stakeholder:
    return save(actor, Stakeholder(org=org, created_by=actor, **fields), action="CREATE")


@transaction.atomic
def update_stakeholder(*, actor, stakeholder: Stakeholder, **changes) -> Stakeholder:
    locked = Stakeholder.objects.select_for_update().get(pk=stakeholder.pk)
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    return save(actor, locked, action="UPDATE", before=before)


def _bump(stakeholder_id, **changes) -> None:
    if stakeholder_id:
        Stakeholder.objects.filter(pk=stakeholder_id).update(**changes)


def counted_as_pending(status: str) -> bool:
    return status in UNDECIDED


def opened(stakeholder_id, status: str) -> None:
    """A decision now counts for this stakeholder (raised, or moved to them)."""
    if counted_as_pending(status):
        _bump(stakeholder_id, decisions_pending=F("decisions_pending") + 1)


def left(stakeholder_id, status: str) -> None:
    """A decision no longer counts for this stakeholder (moved to someone else)."""
    if counted_as_pending(status):
        _bump(stakeholder_id, decisions_pending=F("decisions_pending") - 1)


def closed(decision, was: str) -> None:
    """A pending decision was decided (a completed one, with its response time) or cancelled."""
    if not counted_as_pending(was) or decision.status in UNDECIDED:
        return
    if decision.status != DecisionStatus.DECIDED:
        _bump(decision.stakeholder_id, decisions_pending=F("decisions_pending") - 1)
        return
    hours = (decision.decided_at - decision.created_at).total_seconds() / 3600
    _bump(
        decision.stakeholder_id,
        decisions_pending=F("decisions_pending") - 1,
        decisions_completed=F("decisions_completed") + 1,
        # every SET reads the row as it was, so this is the running mean over completed + 1 decisions
        avg_response_time_hours=(Coalesce(F("avg_response_time_hours"), Value(0.0)) * F("decisions_completed") + hours)
        / (F("decisions_completed") + 1),
        last_decision_at=Greatest(
            Coalesce(F("last_decision_at"), Value(decision.decided_at)), Value(decision.decided_at)
        ),
    )


def escalated_by(stakeholder_id, count: int) -> None:
    """`count` of this stakeholder's decisions escalated for the first time (a decision counts once)."""
    if count:
        _bump(stakeholder_id, decisions_escalated=F("decisions_escalated") + count)
