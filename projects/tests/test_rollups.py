"""Roll-ups are right after every service write, per financial year, under concurrent edits, and on demand."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from pit.models import JobRun
from projects import rollups, services
from projects.models import Deliverable, Milestone, Project, ProjectBudget, ProjectStatus
from projects.tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(org, member):
    """A project over two financial years with a milestone, two deliverables and three tasks, through the services."""
    project = services.create_project(
        actor=member, org=org, name="Depot", owner=member, start_date=D(2026, 7, 1), end_date=D(2027, 12, 31)
    )
    milestone = services.create_milestone(
        actor=member, project=project, name="Build", owner=member, start_date=D(2026, 7, 1), end_date=D(2027, 12, 31)
    )
    first = services.create_deliverable(
        actor=member, milestone=milestone, name="Slab", owner=member, start_date=D(2026, 7, 1), end_date=D(2026, 7, 30)
    )
    second = services.create_deliverable(
        actor=member,
        milestone=milestone,
        name="Roof",
        owner=member,
        start_date=D(2026, 7, 31),
        end_date=D(2027, 12, 31),
    )

    def task(deliverable, name, start, end, **fields):
        return services.create_task(
            actor=member, deliverable=deliverable, name=name, owner=member, start_date=start, end_date=end, **fields
        )

    tasks = [
        task(first, "Pour", D(2026, 7, 1), D(2026, 7, 10), capex_cost=Decimal("1000")),  # 10 days
        task(first, "Cure", D(2026, 7, 11), D(2026, 7, 30), opex_cost=Decimal("50")),  # 20 days
        task(second, "Trusses", D(2027, 7, 1), D(2027, 10, 1), capex_cost=Decimal("700"), opex_cost=Decimal("5")),
    ]
    return project, milestone, first, second, tasks


def fresh(obj):
    return type(obj).all_objects.get(pk=obj.pk)


def test_progress_is_weighted_by_duration_up_every_level(plan, member):
    project, milestone, first, second, (pour, cure, trusses) = plan
    services.set_task_progress(actor=member, task=pour, progress_percent=90)
    services.set_task_progress(actor=member, task=cure, progress_percent=30)
    assert fresh(first).progress_percent == 50  # (90*10 + 30*20) / 30
    services.set_task_progress(actor=member, task=trusses, progress_percent=10)
    first_days, second_days = 30, 519
    expected = round((50 * first_days + 10 * second_days) / (first_days + second_days))
    assert fresh(milestone).progress_percent == expected
    assert fresh(project).progress_percent == expected


def test_costs_roll_up_in_total_and_by_financial_year(plan, member):
    project, milestone, first, second, (pour, cure, trusses) = plan
    assert (fresh(project).capex_total, fresh(project).opex_total) == (Decimal("1700.00"), Decimal("55.00"))
    assert (fresh(first).capex_total, fresh(second).opex_total) == (Decimal("1000.00"), Decimal("5.00"))

    def budgets():
        return {b.financial_year: (b.capex_total, b.opex_total) for b in ProjectBudget.objects.filter(project=project)}

    assert budgets() == {2027: (Decimal("1000.00"), Decimal("50.00")), 2028: (Decimal("700.00"), Decimal("5.00"))}
    services.update(actor=member, obj=trusses, start_date=D(2027, 6, 1))  # moves into FY2027 (July-June)
    assert budgets() == {2027: (Decimal("1700.00"), Decimal("55.00"))}
    services.soft_delete(actor=member, obj=cure)
    assert fresh(project).opex_total == Decimal("5.00")
    assert budgets() == {2027: (Decimal("1700.00"), Decimal("5.00"))}


def test_project_status_follows_the_documented_rules(org, member, plan):
    project, milestone, first, second, (pour, cure, trusses) = plan

    def status_on(day):
        rollups.recompute([project.pk], today=day)
        return fresh(project).status

    assert status_on(D(2026, 6, 1)) == ProjectStatus.NOT_STARTED
    assert status_on(D(2026, 7, 2)) == ProjectStatus.ON_TRACK  # 0 % done, 0.5 % expected
    assert status_on(D(2026, 8, 15)) == ProjectStatus.OFF_TRACK  # Pour and Cure overdue: 2 of 3 open tasks
    services.set_task_progress(actor=member, task=pour, progress_percent=100)
    services.set_task_progress(actor=member, task=cure, progress_percent=100)
    services.set_task_progress(actor=member, task=trusses, progress_percent=15)
    assert status_on(D(2026, 8, 15)) == ProjectStatus.ON_TRACK  # 20 % done, 8 % expected
    services.set_task_status(actor=member, task=trusses, status="blocked", blocked_reason="Crane hire")
    assert status_on(D(2026, 8, 15)) == ProjectStatus.AT_RISK  # blocked
    services.set_task_status(actor=member, task=trusses, status="open")
    assert status_on(D(2027, 1, 1)) == ProjectStatus.AT_RISK  # 20 % done, 34 % expected: 10-25 points behind
    assert status_on(D(2027, 4, 1)) == ProjectStatus.OFF_TRACK  # 50 % expected: more than 25 behind
    assert status_on(D(2028, 1, 1)) == ProjectStatus.OFF_TRACK  # past its end
    services.set_task_progress(actor=member, task=trusses, progress_percent=100)
    assert status_on(D(2028, 1, 1)) == ProjectStatus.COMPLETED


def test_pit_rollup_repairs_drift_and_records_its_run(plan, capsys):
    project, milestone, *_ = plan
    Milestone.objects.filter(pk=milestone.pk).update(progress_percent=77, capex_total=1)
    Project.objects.filter(pk=project.pk).update(capex_total=5)
    ProjectBudget.objects.filter(project=project).delete()
    call_command("pit_rollup")
    assert "Roll-ups recomputed for 1 project(s)" in capsys.readouterr().out
    assert fresh(milestone).capex_total == fresh(project).capex_total == Decimal("1700.00")
    assert fresh(milestone).progress_percent == 0
    assert ProjectBudget.objects.filter(project=project).exists()
    assert JobRun.objects.get(name="rollup").rows_changed == 1


def test_pit_rollup_with_an_unknown_organisation_says_so():
    with pytest.raises(CommandError, match="no organisation with slug 'nowhere'"):
        call_command("pit_rollup", "--org", "nowhere")


@pytest.mark.django_db(transaction=True)
def test_concurrent_progress_edits_of_one_project_both_count(org, member):
    """Two connections change two tasks of one deliverable at once; the roll-up must include both."""
    project = ProjectFactory(org=org, owner=member)
    deliverable = DeliverableFactory(milestone=MilestoneFactory(project=project, owner=member), owner=member)
    tasks = [
        services.create_task(
            actor=member, deliverable=deliverable, name=f"T{i}", owner=member, start_date=deliverable.start_date,
            end_date=deliverable.start_date + datetime.timedelta(days=9),
        )
        for i in range(2)
    ]  # fmt: skip
    first_wrote, errors = threading.Event(), []

    def edit(task, percent, hold: bool):
        try:
            with transaction.atomic():
                if not hold:
                    first_wrote.wait(5)
                services.set_task_progress(actor=member, task=task, progress_percent=percent)
                if hold:
                    first_wrote.set()
                    threading.Event().wait(0.5)  # keep the transaction open while the other writer starts
        except Exception as error:  # a thread cannot fail the test itself: hand the error over
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(tasks[0], 40, True)),
        threading.Thread(target=edit, args=(tasks[1], 80, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    assert Deliverable.objects.get(pk=deliverable.pk).progress_percent == 60
    assert Project.objects.get(pk=project.pk).progress_percent == 60
