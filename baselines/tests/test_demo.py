"""The demo: a reference baseline on the busiest project of each organisation, with some drift after it."""

import pytest

from baselines import demo
from baselines.models import Baseline
from baselines.selectors import comparison
from pit.demo import seed_organisations, seed_projects

pytestmark = pytest.mark.django_db


def test_demo_has_a_reference_baseline_and_drift_after_it():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=3, tasks=240, seed=1)
    demo.seed(orgs, seed=1)
    baseline = Baseline.objects.select_related("project").get(project__org=orgs[0])
    assert baseline.is_reference and baseline.name == "Approved plan" and baseline.task_count > 0
    rows, summary = comparison(baseline)
    moved = [row for row in rows if row.finish_slip]
    assert moved and summary.counts["changed"] >= len(moved)
