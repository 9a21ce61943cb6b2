"""The state machines of decisions, outcomes and hypotheses (seed 002's statuses): which move is allowed from where.

Services ask `MACHINE.check(current, target)` before every status change; a move not listed here is refused with a
message that says what is allowed instead.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from decisions.enums import DecisionStatus as D
from decisions.enums import HypothesisStatus as H
from decisions.enums import OutcomeStatus as O


@dataclass(frozen=True)
class Machine:
    noun: str
    choices: type[models.TextChoices]
    moves: dict[str, frozenset[str]]

    def allowed(self, current: str) -> list[str]:
        return [value for value in self.choices.values if value in self.moves.get(current, ())]

    def can(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, ())

    def check(self, current: str, target: str) -> None:
        if self.can(current, target):
            return
        label = self.choices(current).label
        options = [self.choices(value).label for value in self.allowed(current)]
        where = f"A {self.noun} that is {label}"
        if not options:
            raise ValidationError(f"{where} is closed: it cannot move to {self.choices(target).label}.")
        raise ValidationError(
            f"{where} cannot move to {self.choices(target).label}; it can move to {', '.join(options)}."
        )


def _moves(table: dict) -> dict[str, frozenset[str]]:
    return {state: frozenset(targets) for state, targets in table.items()}


DECISION = Machine(
    "decision",
    D,
    _moves({
        D.NEEDS_INPUT: {D.UNDER_DISCUSSION, D.DECIDED, D.DEFERRED, D.CANCELLED},
        D.UNDER_DISCUSSION: {D.NEEDS_INPUT, D.DECIDED, D.DEFERRED, D.CANCELLED},
        D.DEFERRED: {D.NEEDS_INPUT, D.UNDER_DISCUSSION, D.CANCELLED},
        D.DECIDED: {D.IMPLEMENTED},
        D.IMPLEMENTED: set(),
        D.CANCELLED: set(),
    }),
)  # fmt: skip

OUTCOME = Machine(
    "outcome",
    O,
    _moves({
        O.DRAFT: {O.NOT_STARTED, O.ABANDONED},
        O.NOT_STARTED: {O.IN_PROGRESS, O.ABANDONED},
        O.IN_PROGRESS: {O.VALIDATING, O.ABANDONED},
        O.VALIDATING: {O.VALIDATED, O.INVALIDATED, O.IN_PROGRESS, O.ABANDONED},
        O.VALIDATED: set(),
        O.INVALIDATED: set(),
        O.ABANDONED: set(),
    }),
)  # fmt: skip

HYPOTHESIS = Machine(
    "hypothesis",
    H,
    _moves({
        H.DRAFT: {H.READY, H.ABANDONED},
        H.READY: {H.BUILDING, H.BLOCKED, H.ABANDONED},
        H.BLOCKED: {H.READY, H.BUILDING, H.ABANDONED},
        H.BUILDING: {H.DEPLOYED, H.BLOCKED, H.ABANDONED},
        H.DEPLOYED: {H.MEASURING, H.BLOCKED, H.ABANDONED},
        H.MEASURING: {H.VALIDATED, H.INVALIDATED, H.BLOCKED, H.ABANDONED},
        H.VALIDATED: set(),
        H.INVALIDATED: set(),
        H.ABANDONED: set(),
    }),
)  # fmt: skip

# Hypothesis statuses that end the experiment: who concluded it and when are recorded.
CONCLUSIONS = frozenset({H.VALIDATED, H.INVALIDATED, H.ABANDONED})
