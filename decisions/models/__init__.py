"""The decisions domain's tables (seed 002, adapted to PIT: `org` is the tenant, people and teams are PIT's)."""

from decisions.models.decision import Decision, DecisionBlockedTask, DecisionComment
from decisions.models.outcomes import Hypothesis, Outcome
from decisions.models.settings import DecisionSettings
from decisions.models.stakeholders import Stakeholder

__all__ = [
    "Decision",
    "DecisionBlockedTask",
    "DecisionComment",
    "DecisionSettings",
    "Hypothesis",
    "Outcome",
    "Stakeholder",
]
