"""Test data for the decisions domain, made through the services (so counters and audit rows are real)."""

import datetime

from decisions.services import decision as decision_services
from decisions.services import stakeholders as stakeholder_services

NOW = datetime.datetime(2026, 8, 3, 9, 0, tzinfo=datetime.UTC)
OPTIONS = [
    {"id": "o1", "title": "Buy the pumps", "pros": ["Fast"], "cons": ["Costly"]},
    {"id": "o2", "title": "Repair the old pumps", "pros": ["Cheap"], "cons": ["Risky"]},
]


def raise_decision(actor, *, org=None, now=NOW, **fields):
    fields.setdefault("title", "Which pumps for Station 4?")
    fields.setdefault("options", [dict(option) for option in OPTIONS])
    return decision_services.create_decision(actor=actor, org=org or actor.org, now=now, **fields)


def stakeholder_for(user, **fields):
    fields.setdefault("name", user.name)
    fields.setdefault("email", user.email)
    return stakeholder_services.create_stakeholder(actor=user, org=user.org, user=user, **fields)
