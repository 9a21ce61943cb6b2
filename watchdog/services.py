"""Writes of the watchdog app: Foreman QA runs."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from projects.models import Project
from watchdog import qa, qa_data
from watchdog.models import QaOverallStatus, QaResult


@dataclass(frozen=True)
class QaRun:
    schema_failures: dict[str, list[str]]
    results: list[QaResult]

    @property
    def passed(self) -> bool:
        return not self.schema_failures and all(r.overall_status == QaOverallStatus.PASSED for r in self.results)


def _entry(name: str, problems: list[str]) -> dict:
    return {"name": name, "count": len(problems), "problems": problems[: qa.SAMPLE]}


@transaction.atomic
def run_qa(*, org=None) -> QaRun:
    """Run every check and store one qa_result per live project (of `org`, or of all organisations)."""
    schema_results = {name: check() for name, check in qa.SCHEMA_CHECKS.items()}
    projects = Project.objects.for_org(org) if org is not None else Project.objects.all()
    project_ids = list(projects.values_list("pk", flat=True))
    data_results = qa_data.run_data_checks(project_ids)
    now = timezone.now()
    results = []
    for project_id in project_ids:
        checks = {**schema_results, **{name: found.get(project_id, []) for name, found in data_results.items()}}
        failed = [_entry(name, problems) for name, problems in checks.items() if problems]
        results.append(
            QaResult(
                project_id=project_id,
                run_at=now,
                overall_status=QaOverallStatus.FAILED if failed else QaOverallStatus.PASSED,
                passed_tests=[name for name, problems in checks.items() if not problems],
                failed_tests=failed,
                autofix_actions=[],
            )
        )
    QaResult.objects.bulk_create(results, batch_size=2000)
    return QaRun({name: p for name, p in schema_results.items() if p}, results)
