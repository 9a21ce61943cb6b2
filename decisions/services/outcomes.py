"""Outcomes and hypotheses through their state machines (seed 002), each move audited with its action name."""

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions.enums import HypothesisStatus as H
from decisions.enums import OutcomeStatus as O
from decisions.machines import CONCLUSIONS, HYPOTHESIS, OUTCOME
from decisions.models import Hypothesis, Outcome
from decisions.services.common import now_or, save
from pit import audit

OUTCOME_FIELDS = ["title", "description", "success_criteria", "priority", "team", "owner", "target_date", "tags"]
HYPOTHESIS_FIELDS = ["title", "belief", "expected_result", "measurement_criteria", "priority", "owner", "tags"]
# When a hypothesis enters a status, the time it did so is kept in this column.
HYPOTHESIS_STAMPS = {H.BUILDING: "started_at", H.DEPLOYED: "deployed_at", H.MEASURING: "measuring_started_at"}


@transaction.atomic
def create_outcome(*, actor, org, **fields) -> Outcome:
    return save(actor, Outcome(org=org, created_by=actor, **fields), action="CREATE")


@transaction.atomic
def update_outcome(*, actor, outcome: Outcome, **changes) -> Outcome:
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    return save(actor, locked, action="UPDATE", before=before)


@transaction.atomic
def transition_outcome(*, actor, outcome: Outcome, status: str, notes: str = "", now=None) -> Outcome:
    """Move an outcome; validating or invalidating it needs notes and records who and when."""
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    OUTCOME.check(locked.status, status)
    now = now_or(now)
    action = "STATUS_CHANGE"
    if status in (O.VALIDATED, O.INVALIDATED):
        if not notes.strip():
            raise ValidationError({"notes": "Say what the evidence shows: validation needs notes."})
        locked.validation_notes = notes.strip()
        if status == O.VALIDATED:
            locked.validated_at, locked.validated_by, action = now, actor, "OUTCOME_VALIDATED"
        else:
            locked.invalidated_at, locked.invalidated_by, action = now, actor, "OUTCOME_INVALIDATED"
    if status == O.IN_PROGRESS and locked.started_at is None:
        locked.started_at = now
    before = {"status": locked.status}
    locked.status = status
    return save(actor, locked, action=action, before=before)


@transaction.atomic
def create_hypothesis(*, actor, outcome: Outcome, **fields) -> Hypothesis:
    return save(actor, Hypothesis(org_id=outcome.org_id, outcome=outcome, created_by=actor, **fields), action="CREATE")


@transaction.atomic
def update_hypothesis(*, actor, hypothesis: Hypothesis, **changes) -> Hypothesis:
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    return save(actor, locked, action="UPDATE", before=before)


@transaction.atomic
def transition_hypothesis(*, actor, hypothesis: Hypothesis, status: str, notes: str = "", now=None) -> Hypothesis:
    """Move a hypothesis: blocking needs a reason (HYPOTHESIS_BLOCKED), leaving BLOCKED is HYPOTHESIS_UNBLOCKED,
    concluding it needs notes and records who and when (HYPOTHESIS_CONCLUDED), any other move is
    HYPOTHESIS_TRANSITIONED."""
    locked = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    HYPOTHESIS.check(locked.status, status)
    now, notes = now_or(now), notes.strip()
    before = {"status": locked.status}
    action = "HYPOTHESIS_TRANSITIONED"
    if status == H.BLOCKED:
        if not notes:
            raise ValidationError({"notes": "Say what blocks it."})
        locked.blocked_reason, action = notes, "HYPOTHESIS_BLOCKED"
    elif locked.status == H.BLOCKED:
        locked.blocked_reason, action = "", "HYPOTHESIS_UNBLOCKED"
    if status in CONCLUSIONS:
        if not notes:
            raise ValidationError({"notes": "Say what was learnt: concluding needs notes."})
        locked.conclusion_notes, locked.concluded_at, locked.concluded_by = notes, now, actor
        action = "HYPOTHESIS_CONCLUDED"
    stamp = HYPOTHESIS_STAMPS.get(status)
    if stamp and getattr(locked, stamp) is None:
        setattr(locked, stamp, now)
    locked.status = status
    return save(actor, locked, action=action, before=before)
