"""Foreman QA: a clean database passes, and each check catches a real violation (made with DDL/SQL that the test's
transaction rolls back)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pit.demo import seed_organisations, seed_projects
from projects.models import Deliverable, Project, Task
from projects.tests.factories import TaskFactory
from watchdog.models import QaResult
from watchdog.services import run_qa
from watchdog.tasks import run_qa_task

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("table_owner")]  # the checks alter the schema


@pytest.fixture
def projects():
    orgs = seed_organisations(1)
    ids = seed_projects(orgs, projects=2, tasks=24)
    return [Project.objects.get(pk=pk) for pk in ids]


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # DDL cannot run with deferred FK checks pending
        cursor.execute(statement, params)


def failures(run, project_id=None):
    result = next(r for r in run.results if project_id is None or r.project_id == project_id)
    return {entry["name"]: entry["problems"] for entry in result.failed_tests}


def test_a_clean_database_passes_and_stores_one_result_per_project(projects):
    run = run_qa()
    assert run.passed
    assert QaResult.objects.filter(overall_status="passed").count() == len(projects)
    assert "no_misaligned_hierarchy" in QaResult.objects.first().passed_tests


@pytest.mark.parametrize(
    ("check", "ddl", "expected"),
    [
        ("every_table_exists", "ALTER TABLE isms_link RENAME TO isms_links", "table isms_link is missing"),
        (
            "columns_match_document",
            "ALTER TABLE task ALTER COLUMN order_index TYPE bigint",
            "task.order_index is bigint, the document says integer",
        ),
        (
            "timestamp_fields_present",
            "ALTER TABLE milestone ALTER COLUMN updated_at TYPE timestamp",
            "milestone.updated_at is timestamp without time zone",
        ),
        (
            "no_unexpected_nullable_fk",
            "ALTER TABLE task ALTER COLUMN owner_id DROP NOT NULL",
            "task.owner_id allows NULL",
        ),
        (
            "enums_defined",
            "ALTER TYPE quick_class_enum RENAME VALUE 'long_term' TO 'longterm'",
            "enum quick_class_enum has ['quick_win', 'medium_term', 'longterm']",
        ),
        (
            "snake_case_names",
            'ALTER TABLE risk_link RENAME COLUMN risk_id TO "RiskId"',
            "column risk_link.'RiskId' is not snake_case",
        ),
        (
            "audit_log_append_only",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
            "audit_log accepts UPDATE and DELETE",
        ),
    ],
)
def test_each_schema_check_catches_its_violation(projects, check, ddl, expected):
    sql(ddl)
    run = run_qa()
    assert not run.passed
    assert any(expected in problem for problem in run.schema_failures[check])
    assert check in failures(run)  # every project's stored result carries the schema failure


def test_an_unenforced_foreign_key_is_caught(projects):
    sql(
        """DO $$ DECLARE name text; BEGIN
           SELECT conname INTO name FROM pg_constraint
           WHERE conrelid = 'evidence'::regclass AND contype = 'f'
             AND conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                 WHERE attrelid = 'evidence'::regclass AND attname = 'task_id')];
           EXECUTE format('ALTER TABLE evidence DROP CONSTRAINT %I', name); END $$"""
    )
    assert "evidence.task_id has no enforced foreign key" in run_qa().schema_failures["every_fk_enforced"]


def test_orphan_tasks_under_a_deleted_deliverable_are_caught_for_that_project_only(projects):
    broken, fine = projects
    deliverable = Deliverable.objects.filter(project=broken).first()
    sql("UPDATE deliverable SET deleted_at = now() WHERE id = %s", [deliverable.pk])
    run = run_qa()
    assert any(f"deleted deliverable {deliverable.pk}" in p for p in failures(run, broken.pk)["no_orphan_tasks"])
    assert failures(run, fine.pk) == {}


def test_a_misaligned_hierarchy_is_caught_even_without_the_database_guard(projects):
    project = projects[0]
    sql("ALTER TABLE task DROP CONSTRAINT task_deliverable_hierarchy_fk")
    task = Task.objects.filter(project=project).first()
    other = project.milestones.exclude(pk=task.milestone_id).first()
    sql("UPDATE task SET milestone_id = %s WHERE id = %s", [other.pk, task.pk])
    problems = failures(run_qa(), project.pk)["no_misaligned_hierarchy"]
    assert any(f"task {task.pk} says milestone {other.pk}" in p for p in problems)


def test_dates_outside_the_parent_are_caught(projects):
    task = Task.objects.filter(project=projects[0]).first()
    sql("UPDATE task SET end_date = %s WHERE id = %s", [task.deliverable.end_date.replace(year=2030), task.pk])
    problems = failures(run_qa(), projects[0].pk)["dates_inside_parents"]
    assert any(f"task {task.pk} " in p and "outside its deliverable" in p for p in problems)


def test_stale_rollups_are_caught(projects):
    sql("UPDATE project SET capex_total = capex_total + 1 WHERE id = %s", [projects[1].pk])
    problems = failures(run_qa(), projects[1].pk)["rollups_consistent"]
    assert problems == [f"project {projects[1].pk} roll-up differs from its children"]


def test_rows_written_around_the_services_are_caught_by_audit_coverage(projects):
    deliverable = Deliverable.objects.filter(project=projects[0]).first()
    sneaky = TaskFactory(deliverable=deliverable, start_date=deliverable.start_date, end_date=deliverable.start_date)
    sql("UPDATE task SET deleted_at = now() WHERE id = %s", [sneaky.pk])  # keep roll-ups out of the picture
    problems = failures(run_qa(), projects[0].pk)["audit_coverage"]
    assert problems == [f"task {sneaky.pk} has no audited creation"]


def test_pit_qa_command_exits_non_zero_on_failure_and_zero_when_clean(projects, capsys):
    call_command("pit_qa")
    assert "Foreman QA passed: 2 project(s) checked, 0 failed" in capsys.readouterr().out
    sql("UPDATE project SET progress_percent = 99 WHERE id = %s", [projects[0].pk])
    with pytest.raises(CommandError) as error:
        call_command("pit_qa")
    assert error.value.returncode == 1
    assert "1 failed" in str(error.value)


def test_pit_qa_refuses_an_unknown_organisation():
    with pytest.raises(CommandError, match="no organisation with slug 'nope'"):
        call_command("pit_qa", "--org", "nope")


def test_the_celery_task_runs_the_same_checks(projects):
    assert run_qa_task() == {"projects": 2, "passed": True}
    assert QaResult.objects.count() == 2
