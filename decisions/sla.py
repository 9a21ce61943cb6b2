"""SLA: when a decision is due. Its own `sla_hours` win; else the organisation's default for its priority
(`DecisionSettings`, or the built-in defaults when the organisation has none)."""

from datetime import timedelta

from decisions.models import DecisionSettings
from decisions.models.settings import DEFAULT_SLA_HOURS


def settings_of(org) -> DecisionSettings:
    """The organisation's settings row, or an unsaved one holding the defaults."""
    return DecisionSettings.objects.filter(org=org).first() or DecisionSettings(org=org)


def sla_hours_of(decision) -> int:
    if decision.sla_hours:
        return decision.sla_hours
    row = DecisionSettings.objects.filter(org_id=decision.org_id).first()
    return row.sla_hours(decision.priority) if row else DEFAULT_SLA_HOURS[decision.priority]


def due_at(decision, start):
    """Due `sla_hours` after `start` (when it was raised, or reopened)."""
    return start + timedelta(hours=sla_hours_of(decision))
