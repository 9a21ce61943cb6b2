"""Task cluster templates: checked with a message that says what and where; instantiated all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pit.models import AuditLog
from projects import clusters
from projects.cluster_schema import template_problems
from projects.models import Deliverable, Task, TaskCluster, TaskClusterTemplate
from projects.tests.factories import deliverable_in

pytestmark = pytest.mark.django_db
D = datetime.date
SPEC = {
    "tasks": [
        {"name": "Induction", "offset_days": 0, "duration_days": 1, "opex_cost": 400, "requires_evidence": True,
         "quick_class": "quick_win"},
        {"name": "Compound", "offset_days": 1, "duration_days": 3, "capex_cost": 6500.5},
    ]
}  # fmt: skip


@pytest.fixture
def template(org):
    return TaskClusterTemplate.objects.create(org=org, name="Mobilise", template_json=SPEC)


def test_instantiating_creates_the_cluster_and_its_tasks_in_one_go(org, member, template):
    deliverable = deliverable_in(org, member)
    cluster = clusters.instantiate(actor=member, template=template, deliverable=deliverable, start_date=D(2026, 8, 3))
    tasks = list(Task.objects.filter(cluster=cluster).order_by("start_date"))
    assert [(t.name, t.start_date, t.end_date, t.duration_days) for t in tasks] == [
        ("Induction", D(2026, 8, 3), D(2026, 8, 3), 1),
        ("Compound", D(2026, 8, 4), D(2026, 8, 6), 3),
    ]
    assert tasks[0].requires_evidence and tasks[0].quick_class == "quick_win" and tasks[1].quick_class == "medium_term"
    assert {t.task_type for t in tasks} == {"cluster_item"} and {t.owner_id for t in tasks} == {member.pk}
    assert Deliverable.objects.get(pk=deliverable.pk).capex_total == Decimal("6500.50")  # rolled up
    assert AuditLog.objects.filter(table_name="task", action="CREATE", record_id__in=[t.pk for t in tasks]).count() == 2
    assert AuditLog.objects.filter(table_name="task_cluster", record_id=str(cluster.pk)).exists()
    again = clusters.instantiate(actor=member, template=template, deliverable=deliverable, start_date=D(2026, 9, 1))
    assert list(deliverable.tasks.order_by("order_index").values_list("order_index", "cluster_id")) == [
        (0, cluster.pk),
        (1, cluster.pk),
        (2, again.pk),
        (3, again.pk),
    ]  # each cluster goes after what is there


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({}, "template: 'tasks' is a required property"),
        ({"tasks": []}, "template.tasks: [] should be non-empty"),
        ({"tasks": [{"name": "A", "duration_days": 1}, {"name": "B", "duration_days": 0}]},
         "template.tasks[1].duration_days: 0 is less than the minimum of 1"),
        ({"tasks": [{"name": "A", "duration_days": 1, "quick_class": "soon"}]},
         "template.tasks[0].quick_class: 'soon' is not one of ['quick_win', 'medium_term', 'long_term']"),
        ({"tasks": [{"name": "A", "duration_days": 1, "capex_cost": -5}]},
         "template.tasks[0].capex_cost: -5 is less than the minimum of 0"),
        ({"tasks": [{"name": "A", "duration_days": 1, "colour": "red"}]},
         "template.tasks[0]: Additional properties are not allowed ('colour' was unexpected)"),
    ],
)  # fmt: skip
def test_invalid_template_json_says_what_is_wrong_and_where(spec, problem):
    assert problem in template_problems(spec)


def test_an_invalid_template_is_not_applied(org, member, template):
    TaskClusterTemplate.objects.filter(pk=template.pk).update(template_json={"tasks": [{"name": "A"}]})
    template.refresh_from_db()
    with pytest.raises(ValidationError, match="'duration_days' is a required property"):
        clusters.instantiate(actor=member, template=template, deliverable=deliverable_in(org, member),
                             start_date=D(2026, 8, 3))  # fmt: skip
    assert not TaskCluster.objects.exists()


def test_a_cluster_that_does_not_fit_its_deliverable_changes_nothing(org, member, template):
    deliverable = deliverable_in(org, member)  # ends 30 Jun 2027
    with pytest.raises(ValidationError, match="Task 2 “Compound” .* does not fit: Ends after its deliverable"):
        clusters.instantiate(actor=member, template=template, deliverable=deliverable, start_date=D(2027, 6, 29))
    assert not TaskCluster.objects.exists() and not Task.objects.exists()


def test_a_template_of_another_organisation_is_refused(org, other_org, member, template):
    foreign = TaskClusterTemplate.objects.create(org=other_org, name="Theirs", template_json=SPEC)
    with pytest.raises(ValidationError, match="another organisation"):
        clusters.instantiate(actor=member, template=foreign, deliverable=deliverable_in(org, member),
                             start_date=D(2026, 8, 3))  # fmt: skip


def test_admin_refuses_invalid_template_json_with_its_message(client, org_admin):
    client.force_login(org_admin)
    response = client.post(
        "/admin/projects/taskclustertemplate/add/",
        {"name": "Broken", "description": "", "template_json": '{"tasks": [{"name": "A", "duration_days": "two"}]}'},
    )
    assert response.status_code == 200
    assert "template.tasks[0].duration_days: &#x27;two&#x27; is not of type &#x27;integer&#x27;" in response.text
    assert not TaskClusterTemplate.objects.filter(name="Broken").exists()
