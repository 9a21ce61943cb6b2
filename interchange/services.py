"""Plan import: stage an upload (read, check, keep the plan for the preview), confirm it (all or nothing), discard.

Nothing of the plan is written until confirmation, and confirmation writes all of it in one transaction or, when
a check fails now, nothing."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.services import system_user
from interchange import checks, formats, writer
from interchange.models import PendingImport
from interchange.plan import Plan
from pit import audit
from pit.models import JobRun
from projects import services as project_services
from projects.models import Project

GONE = "This import has expired or was already confirmed: upload the file again."


class ImportRefused(ValidationError):
    """The plan has problems; `problems` lists them with their rows. Nothing was written."""

    def __init__(self, problems: list):
        super().__init__(f"The plan has {len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@transaction.atomic
def stage(*, actor, org, data: bytes, file_name: str, project: Project | None = None, project_name: str = ""):
    """Read and check an upload; keep the plan (not the file) for the preview. Unreadable files raise
    ValidationError with a message that says why."""
    if len(data) > settings.INTERCHANGE_MAX_UPLOAD_BYTES:
        limit = settings.INTERCHANGE_MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The file is larger than {limit} MB; split the plan."})
    try:
        plan = formats.read(data)
    except formats.Unreadable as error:
        raise ValidationError({"file": str(error)}) from None
    checks.prune_links(plan)
    verdict = checks.check(plan, org=org, project=project)
    pending = PendingImport.objects.create(
        org=org, created_by=actor, project=project, project_name=_name_for(project, project_name, plan, file_name),
        file_name=file_name[:200], source=plan.source, plan=plan.to_json(), problems=verdict.problems,
        expires_at=timezone.now() + timedelta(hours=settings.INTERCHANGE_PENDING_HOURS),
    )  # fmt: skip
    problems = len(verdict.problems)
    after = {"file": pending.file_name, "source": plan.source, "counts": plan.counts(), "problems": problems}
    audit.record(actor=actor, org=org, action="IMPORT_STAGED", instance=pending, after=after)
    return pending


def _name_for(project, project_name: str, plan: Plan, file_name: str) -> str:
    """A new project's name: as given, else the plan's title, else the file's name without its extension."""
    if project is not None:
        return ""
    return project_name.strip() or plan.title.strip() or file_name.rsplit(".", 1)[0] or "Imported plan"


@transaction.atomic
def confirm(*, actor, pending: PendingImport) -> Project:
    """Write the plan: into its project, or a new one spanning the plan. Checks again first (people and dates may have
    changed since the preview); any problem raises ImportRefused and nothing is written."""
    pending = PendingImport.objects.select_for_update().filter(pk=pending.pk).open().first()
    if pending is None:
        raise ValidationError(GONE)
    plan = Plan.from_json(pending.plan)
    if pending.project_id:
        project = Project.objects.for_org(pending.org).filter(pk=pending.project_id).first()
        if project is None:
            raise ValidationError("The project to import into has been deleted.")
    else:
        verdict = checks.check(plan, org=pending.org)
        if not verdict.ok:
            raise ImportRefused(verdict.problems)
        project = _new_project(actor, pending, plan)
    with project_services.settling(project.pk):
        project.refresh_from_db()  # its dates as of the lock
        verdict = checks.check(plan, org=pending.org, project=project)
        if not verdict.ok:
            raise ImportRefused(verdict.problems)
        counts = writer.write(plan, actor=actor, project=project, owners=verdict.owners)
    pending.project, pending.confirmed_at = project, timezone.now()
    pending.save(update_fields=["project", "confirmed_at"])
    after = {"file": pending.file_name, "source": pending.source, "import": pending.pk, **counts}
    audit.record(actor=actor, org=pending.org, action="IMPORT", instance=project, after=after)
    return project


def _new_project(actor, pending: PendingImport, plan: Plan) -> Project:
    starts = [item.start_date for item in plan.items if item.start]
    finishes = [item.finish_date for item in plan.items if item.finish]
    return project_services.create_project(
        actor=actor, org=pending.org, name=pending.project_name, owner=actor,
        start_date=min(starts), end_date=max(finishes),
    )  # fmt: skip


@transaction.atomic
def discard(*, actor, pending: PendingImport) -> None:
    before = {"file": pending.file_name, "source": pending.source}
    pk = pending.pk
    pending.delete()
    audit.record(actor=actor, org=pending.org, action="DELETE", instance=pending, record_id=pk, before=before)


@transaction.atomic
def purge_expired(*, now=None) -> JobRun:
    """Forget staged plans past their expiry (confirmed ones too: the project holds the plan now), audited per
    organisation, recorded in job_run. One set-based DELETE; a rerun finds nothing."""
    now = now or timezone.now()
    by_org = defaultdict(list)
    for pk, org_id in PendingImport.objects.filter(expires_at__lte=now).values_list("pk", "org_id"):
        by_org[org_id].append(pk)
    for org in Organisation.objects.filter(pk__in=by_org):
        audit.record_rows(actor=system_user(org), org=org, action="PURGE", table_name="plan_import",
                          record_ids=by_org[org.pk], after={"by": "expiry"})  # fmt: skip
    deleted, _ = PendingImport.objects.filter(pk__in=[pk for ids in by_org.values() for pk in ids]).delete()
    return JobRun.objects.create(name="plan-import-purge", started_at=now, finished_at=timezone.now(),
                                 rows_changed=deleted, detail={"organisations": len(by_org)})  # fmt: skip
