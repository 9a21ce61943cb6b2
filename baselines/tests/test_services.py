"""Capture, reference flag, rename and delete; and the database's refusal to change a captured baseline."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from baselines import services
from baselines.models import Baseline, BaselineDependency, BaselineItem
from pit.models import AuditLog
from projects import services as project_services

from .conftest import DAY, build_plan

pytestmark = pytest.mark.django_db


def test_capture_copies_every_level_with_dates_progress_costs_and_dependencies(plan, manager):
    project, milestone, deliverable, tasks = plan
    project_services.set_task_progress(actor=manager, task=tasks[0], progress_percent=40)
    project_services.soft_delete(actor=manager, obj=tasks[2])  # deleted items are not part of the plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    items = {(i.kind, i.item_id): i for i in BaselineItem.objects.filter(baseline=baseline)}
    live_tasks = tasks[:2]
    assert set(items) == {("milestone", milestone.pk), ("deliverable", deliverable.pk)} | {
        ("task", t.pk) for t in live_tasks}  # fmt: skip
    first = items[("task", tasks[0].pk)]
    assert (first.start_date, first.end_date, first.progress_percent, first.capex, first.milestone_id,
            first.deliverable_id) == (tasks[0].start_date, tasks[0].end_date, 40, 100, milestone.pk,
                                      deliverable.pk)  # fmt: skip
    assert baseline.sealed and baseline.is_reference  # the first one is the reference
    assert baseline.task_count == len(live_tasks)
    assert (baseline.end_date, baseline.capex_total) == (project.end_date, type(project).objects.get(
        pk=project.pk).capex_total)  # fmt: skip
    links = set(BaselineDependency.objects.filter(baseline=baseline).values_list("predecessor_id", "successor_id"))
    assert links == {(tasks[0].pk, tasks[1].pk)}  # not the deleted task's
    log = AuditLog.objects.get(table_name="baseline", record_id=str(baseline.pk))
    assert (log.action, log.user_id, log.after_state["task_count"]) == ("CREATE", manager.pk, len(live_tasks))


def test_one_reference_per_project_and_names_are_checked(plan, manager):
    project, *_ = plan
    first = services.capture(actor=manager, project=project, name="Approved plan")
    second = services.capture(actor=manager, project=project, name="Re-plan", reference=True)
    first.refresh_from_db()
    assert (first.is_reference, second.is_reference) == (False, True)
    services.set_reference(actor=manager, baseline=first)
    assert list(Baseline.objects.filter(project=project, is_reference=True)) == [first]
    with pytest.raises(ValidationError, match="already has a baseline called"):
        services.capture(actor=manager, project=project, name="approved PLAN")
    with pytest.raises(ValidationError, match="Give the baseline a name"):
        services.capture(actor=manager, project=project, name="  ")
    assert Baseline.objects.filter(project=project).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():  # the partial unique index, under the service
        Baseline.objects.filter(pk=second.pk).update(is_reference=True)
    services.rename(actor=manager, baseline=second, name="Re-plan March")
    assert Baseline.objects.get(pk=second.pk).name == "Re-plan March"
    actions = list(AuditLog.objects.filter(table_name="baseline").values_list("action", flat=True))
    assert actions.count("UPDATE") == 2 and actions.count("CREATE") == 2


def _refused(sql: str, params) -> None:
    with pytest.raises(DatabaseError, match="baseline"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_change_a_captured_baseline(plan, manager):
    project, _, _, tasks = plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    item = BaselineItem.objects.filter(baseline=baseline, kind="task").first()
    _refused("UPDATE baseline_item SET end_date = end_date + 7 WHERE id = %s", [item.pk])
    _refused("DELETE FROM baseline_item WHERE id = %s", [item.pk])
    _refused("UPDATE baseline_dependency SET lag_days = 3 WHERE baseline_id = %s", [baseline.pk])
    _refused("DELETE FROM baseline_dependency WHERE baseline_id = %s", [baseline.pk])
    _refused("INSERT INTO baseline_item (baseline_id, kind, item_id, milestone_id, name, start_date, end_date, "
             "progress_percent, capex, opex, status, order_index) VALUES (%s, 'task', 999999, 1, 'x', '2027-01-01', "
             "'2027-01-02', 0, 0, 0, '', 0)", [baseline.pk])  # fmt: skip
    _refused("UPDATE baseline SET end_date = end_date + 7 WHERE id = %s", [baseline.pk])
    _refused("UPDATE baseline SET sealed = false WHERE id = %s", [baseline.pk])
    _refused("UPDATE baseline SET project_id = project_id, captured_at = now() WHERE id = %s", [baseline.pk])
    # The ORM's save() writes every column: refused too, unless only the name or flag differ.
    baseline.task_count = 0
    with pytest.raises(DatabaseError), transaction.atomic():
        baseline.save()
    with connection.cursor() as cursor:  # name and reference flag may change
        cursor.execute("UPDATE baseline SET name = 'Renamed', is_reference = false WHERE id = %s", [baseline.pk])
    unchanged = BaselineItem.objects.get(pk=item.pk)
    assert (unchanged.end_date, unchanged.start_date) == (item.end_date, item.start_date)


def test_deleting_a_whole_baseline_takes_its_items_and_is_audited(plan, manager):
    project, *_ = plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    pk, count = baseline.pk, BaselineItem.objects.filter(baseline=baseline).count()
    services.delete(actor=manager, baseline=baseline)
    assert not BaselineItem.objects.filter(baseline_id=pk).exists()
    assert not BaselineDependency.objects.filter(baseline_id=pk).exists()
    log = AuditLog.objects.get(table_name="baseline", record_id=str(pk), action="DELETE")
    assert log.before_state["name"] == "Approved plan" and count == 5


def test_a_later_change_to_the_plan_leaves_the_baseline_as_it_was(plan, manager):
    project, _, _, tasks = plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    project_services.update(actor=manager, obj=tasks[1], start_date=tasks[1].start_date + DAY,
                            end_date=tasks[1].end_date + DAY)  # fmt: skip
    item = BaselineItem.objects.get(baseline=baseline, kind="task", item_id=tasks[1].pk)
    assert item.end_date == tasks[1].end_date


def test_capture_of_another_project_copies_only_its_own_plan(manager, plan):
    other, *_ = build_plan(manager, name="Other", tasks=2)
    baseline = services.capture(actor=manager, project=other, name="B")
    assert baseline.task_count == 2


def test_purging_a_project_takes_its_baselines_with_it(plan, manager):
    project, *_ = plan
    baseline = services.capture(actor=manager, project=project, name="Approved plan")
    type(project).all_objects.filter(pk=project.pk).delete()
    assert not Baseline.objects.filter(pk=baseline.pk).exists()
    assert not BaselineItem.objects.filter(baseline_id=baseline.pk).exists()
