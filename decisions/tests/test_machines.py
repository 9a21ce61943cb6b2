"""Every allowed and every refused move of the three state machines, through the services."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from decisions.enums import DecisionStatus, HypothesisStatus, OutcomeStatus
from decisions.machines import DECISION, HYPOTHESIS, OUTCOME
from decisions.models import Decision, Hypothesis, Outcome
from decisions.services import decision as services
from decisions.services import outcomes
from decisions.tests.factories import raise_decision
from pit.models import AuditLog

pytestmark = pytest.mark.django_db


def _pairs(choices):
    return list(itertools.product(choices.values, repeat=2))


def test_every_status_has_a_row_in_its_machine():
    for machine, choices in ((DECISION, DecisionStatus), (OUTCOME, OutcomeStatus), (HYPOTHESIS, HypothesisStatus)):
        assert set(machine.moves) == set(choices.values)


def _decision_in(manager, status) -> Decision:
    decision = raise_decision(manager)
    Decision.objects.filter(pk=decision.pk).update(
        status=status, selected_option=decision.options[0], decision_rationale="Because", decided_at=decision.created_at
    )
    decision.refresh_from_db()
    return decision


@pytest.mark.parametrize(("current", "target"), _pairs(DecisionStatus))
def test_decision_moves(manager, current, target):
    decision = _decision_in(manager, current)
    allowed = DECISION.can(current, target)
    try:
        if target == DecisionStatus.DECIDED:
            services.decide(actor=manager, decision=decision, option_id="o2", rationale="Cheaper over ten years")
        else:
            services.transition(actor=manager, decision=decision, status=target, reason="Waiting for the budget")
    except ValidationError as error:
        assert not allowed, error
        assert "cannot move" in str(error) or "closed" in str(error)
        decision.refresh_from_db()
        assert decision.status == current
        return
    assert allowed, f"{current} → {target} should be refused"
    decision.refresh_from_db()
    assert decision.status == target
    assert AuditLog.objects.filter(
        table_name="decision", record_id=str(decision.pk), after_state__status=target
    ).exists()


def test_refusal_says_what_is_allowed(manager):
    decision = _decision_in(manager, DecisionStatus.DECIDED)
    with pytest.raises(ValidationError) as error:
        services.transition(actor=manager, decision=decision, status=DecisionStatus.NEEDS_INPUT)
    assert "A decision that is Decided cannot move to Needs input; it can move to Implemented." in str(error.value)


def test_deciding_needs_an_option_and_a_rationale(manager):
    decision = raise_decision(manager)
    with pytest.raises(ValidationError) as error:
        services.decide(actor=manager, decision=decision, option_id="nope", rationale="  ")
    assert set(error.value.message_dict) == {"option_id", "rationale"}
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NEEDS_INPUT and decision.selected_option is None
    decided = services.decide(actor=manager, decision=decision, option_id="o2", rationale="Cheaper")
    assert decided.selected_option["title"] == "Repair the old pumps"
    assert decided.decided_by == manager
    assert AuditLog.objects.filter(action="DECISION_RESOLVED", record_id=str(decision.pk)).count() == 1


def test_deferring_needs_a_reason(manager):
    decision = raise_decision(manager)
    with pytest.raises(ValidationError):
        services.defer(actor=manager, decision=decision, reason="")
    assert services.defer(actor=manager, decision=decision, reason="After the board").status == DecisionStatus.DEFERRED


def _outcome_in(manager, status) -> Outcome:
    outcome = outcomes.create_outcome(actor=manager, org=manager.org, title="Fewer main breaks")
    Outcome.objects.filter(pk=outcome.pk).update(status=status)
    outcome.refresh_from_db()
    return outcome


@pytest.mark.parametrize(("current", "target"), _pairs(OutcomeStatus))
def test_outcome_moves(manager, current, target):
    outcome = _outcome_in(manager, current)
    allowed = OUTCOME.can(current, target)
    try:
        outcomes.transition_outcome(actor=manager, outcome=outcome, status=target, notes="Breaks fell 30 %")
    except ValidationError:
        assert not allowed
        outcome.refresh_from_db()
        assert outcome.status == current
        return
    assert allowed, f"{current} → {target} should be refused"
    outcome.refresh_from_db()
    assert outcome.status == target
    if target == OutcomeStatus.VALIDATED:
        assert outcome.validated_by == manager and outcome.validation_notes == "Breaks fell 30 %"
        assert AuditLog.objects.filter(action="OUTCOME_VALIDATED", record_id=str(outcome.pk)).exists()
    if target == OutcomeStatus.INVALIDATED:
        assert outcome.invalidated_by == manager and outcome.invalidated_at is not None
        assert AuditLog.objects.filter(action="OUTCOME_INVALIDATED", record_id=str(outcome.pk)).exists()


def test_validating_an_outcome_needs_notes(manager):
    outcome = _outcome_in(manager, OutcomeStatus.VALIDATING)
    with pytest.raises(ValidationError):
        outcomes.transition_outcome(actor=manager, outcome=outcome, status=OutcomeStatus.VALIDATED, notes=" ")
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.VALIDATING


def _hypothesis_in(manager, status) -> Hypothesis:
    outcome = outcomes.create_outcome(actor=manager, org=manager.org, title="Fewer main breaks")
    hypothesis = outcomes.create_hypothesis(
        actor=manager, outcome=outcome, title="Pressure", belief="Lower pressure", expected_result="Fewer breaks"
    )
    Hypothesis.objects.filter(pk=hypothesis.pk).update(
        status=status, blocked_reason="Parts" if status == "BLOCKED" else ""
    )
    hypothesis.refresh_from_db()
    return hypothesis


@pytest.mark.parametrize(("current", "target"), _pairs(HypothesisStatus))
def test_hypothesis_moves(manager, current, target):
    hypothesis = _hypothesis_in(manager, current)
    allowed = HYPOTHESIS.can(current, target)
    try:
        outcomes.transition_hypothesis(actor=manager, hypothesis=hypothesis, status=target, notes="Valves late")
    except ValidationError:
        assert not allowed
        hypothesis.refresh_from_db()
        assert hypothesis.status == current
        return
    assert allowed, f"{current} → {target} should be refused"
    hypothesis.refresh_from_db()
    assert hypothesis.status == target
    expected = {"BLOCKED": "HYPOTHESIS_BLOCKED", "VALIDATED": "HYPOTHESIS_CONCLUDED",
                "INVALIDATED": "HYPOTHESIS_CONCLUDED", "ABANDONED": "HYPOTHESIS_CONCLUDED"}.get(target)  # fmt: skip
    if expected is None:
        expected = "HYPOTHESIS_UNBLOCKED" if current == "BLOCKED" else "HYPOTHESIS_TRANSITIONED"
    assert AuditLog.objects.filter(action=expected, record_id=str(hypothesis.pk)).exists()
