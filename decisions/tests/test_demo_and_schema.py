"""The demo data covers every status with live threads; the database's enums are seed 002's labels."""

import pytest
from django.db import connection

from decisions.enums import PG_ENUMS, DecisionStatus
from decisions.models import Decision, DecisionComment, Stakeholder
from decisions.selectors import stakeholder_counts
from pit.demo import seed_domains, seed_organisations, seed_projects

pytestmark = pytest.mark.django_db


def test_postgres_enums_have_exactly_the_seed_labels():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_type t "
            "JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typname = ANY(%s) GROUP BY t.typname",
            [list(PG_ENUMS)],
        )
        found = dict(cursor.fetchall())
    assert found == {name: list(choices.values) for name, choices in PG_ENUMS.items()}


def test_demo_has_every_status_overdue_escalations_and_threads():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=60, seed=1)
    seed_domains(orgs, seed=1)
    assert set(Decision.objects.values_list("status", flat=True)) == set(DecisionStatus.values)
    assert Decision.objects.filter(escalation_level__gt=0).exists()
    assert Decision.objects.filter(blocked_links__isnull=False).exists()
    assert DecisionComment.objects.filter(parent__isnull=False).exists()
    assert DecisionComment.objects.exclude(option_id="").exists()
    for stakeholder in Stakeholder.objects.all():
        counts = stakeholder_counts(Stakeholder.objects.filter(pk=stakeholder.pk))[stakeholder.pk]
        stored = (stakeholder.decisions_pending, stakeholder.decisions_completed, stakeholder.decisions_escalated)
        assert stored == (counts["pending"], counts["completed"], counts["escalated"])
