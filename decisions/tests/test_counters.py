"""Stakeholder counters kept by the services stay equal to what the decisions say, also under concurrency."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from decisions.enums import DecisionStatus
from decisions.models import Stakeholder
from decisions.selectors import stakeholder_counts
from decisions.services import decision as services
from decisions.tests.factories import NOW, raise_decision, stakeholder_for


def _stored(stakeholder):
    stakeholder.refresh_from_db()
    return {
        "pending": stakeholder.decisions_pending,
        "completed": stakeholder.decisions_completed,
        "escalated": stakeholder.decisions_escalated,
    }


def _computed(stakeholder):
    counts = stakeholder_counts(Stakeholder.objects.filter(pk=stakeholder.pk))[stakeholder.pk]
    return {key: counts[key] for key in ("pending", "completed", "escalated")}


@pytest.mark.django_db
def test_counters_follow_every_change(manager, member):
    person = stakeholder_for(member)
    first = raise_decision(manager, stakeholder=person)
    second = raise_decision(manager, stakeholder=person)
    third = raise_decision(manager)
    assert _stored(person) == {"pending": 2, "completed": 0, "escalated": 0}
    services.decide(actor=manager, decision=first, option_id="o1", rationale="Fast", now=NOW.replace(hour=13))
    services.transition(actor=manager, decision=second, status=DecisionStatus.CANCELLED)
    services.update_decision(actor=manager, decision=third, stakeholder=person)
    assert _stored(person) == {"pending": 1, "completed": 1, "escalated": 0} == _computed(person)
    person.refresh_from_db()
    assert person.avg_response_time_hours == pytest.approx(4.0)
    assert person.last_decision_at == NOW.replace(hour=13)


@pytest.mark.django_db(transaction=True)
def test_two_decisions_taken_at_once_both_count(org, manager, member):
    person = stakeholder_for(member)
    one = raise_decision(manager, stakeholder=person)
    two = raise_decision(manager, stakeholder=person)
    both_started = threading.Barrier(2)
    errors = []

    def take(decision, hold: float, hours: int):
        try:
            with transaction.atomic():
                both_started.wait()
                services.decide(actor=manager, decision=decision, option_id="o1", rationale="Go",
                                now=NOW.replace(hour=9 + hours))  # fmt: skip
                time.sleep(hold)  # keep this transaction open while the other one tries to count
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(one, 0.5, 2)), threading.Thread(target=take, args=(two, 0, 6))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _stored(person) == {"pending": 0, "completed": 2, "escalated": 0} == _computed(person)
    person.refresh_from_db()
    assert person.avg_response_time_hours == pytest.approx(4.0)  # (2 + 6) / 2
    assert person.last_decision_at == NOW.replace(hour=15)


@pytest.mark.django_db(transaction=True)
def test_the_same_decision_taken_twice_at_once_counts_once(org, manager, member):
    person = stakeholder_for(member)
    decision = raise_decision(manager, stakeholder=person)
    both_started = threading.Barrier(2)
    outcomes = []

    def take(option_id: str):
        try:
            both_started.wait()
            services.decide(actor=manager, decision=decision, option_id=option_id, rationale="Mine")
            outcomes.append(option_id)
        except ValidationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(option,)) for option in ("o1", "o2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcomes if o not in ("o1", "o2")]
    assert len(refused) == 1 and "Decided" in refused[0]  # the second one found it decided
    assert _stored(person) == {"pending": 0, "completed": 1, "escalated": 0} == _computed(person)
