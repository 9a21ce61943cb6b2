"""A task's integration links (PIT_DATABASE_SCHEMA_v0.1 section 9): ISMS criteria, risk treatment plans, and the
skills credit its owner earns by completing it.

Credit value: the task's duration in days (`duration_days`, at least 1) times `PIT_SKILLS_CREDITS_PER_DAY`
(setting, default 1), so a ten-day task earns ten credits. A task earns its owner one credit, once: reopening and
completing it again earns nothing more.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from pit import audit
from projects.models import IsmsLink, RiskLink, SkillsCredit, Task

MAX_CODE = 100


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Enter the {label}."})
    if len(value) > MAX_CODE:
        raise ValidationError({field: f"The {label} is at most {MAX_CODE} characters."})
    return value


def _org(task: Task) -> int:
    return task.project.org_id


@transaction.atomic
def link_isms(*, actor, task: Task, criteria_code: str, criteria_version: str) -> IsmsLink:
    code = _text(criteria_code, "criteria_code", "ISMS criterion code")
    version = _text(criteria_version, "criteria_version", "criterion version")
    if IsmsLink.objects.filter(task=task, criteria_code__iexact=code, criteria_version=version).exists():
        raise ValidationError({"criteria_code": f"This task is already linked to {code} ({version})."})
    link = IsmsLink.objects.create(task=task, criteria_code=code, criteria_version=version)
    audit.record(actor=actor, org=_org(task), action="CREATE", instance=link, after=audit.snapshot(link))
    return link


@transaction.atomic
def link_risk(*, actor, task: Task, risk_id: str) -> RiskLink:
    risk_id = _text(risk_id, "risk_id", "risk id")
    if RiskLink.objects.filter(task=task, risk_id__iexact=risk_id).exists():
        raise ValidationError({"risk_id": f"This task is already linked to risk {risk_id}."})
    link = RiskLink.objects.create(task=task, risk_id=risk_id)
    audit.record(actor=actor, org=_org(task), action="CREATE", instance=link, after=audit.snapshot(link))
    return link


@transaction.atomic
def unlink(*, actor, link) -> None:
    """Remove an ISMS or risk link."""
    before, org, pk = audit.snapshot(link), _org(link.task), link.pk
    link.delete()
    audit.record(actor=actor, org=org, action="DELETE", instance=link, record_id=pk, before=before)


def credit_value(task: Task) -> int:
    return max(task.duration_days or 1, 1) * settings.PIT_SKILLS_CREDITS_PER_DAY


def award_credit(*, actor, task: Task) -> SkillsCredit | None:
    """The task was just completed (the completion rules, evidence included, have passed): its owner earns their
    credit, in the completion's transaction."""
    if SkillsCredit.objects.filter(task=task, user_id=task.owner_id).exists():
        return None
    credit = SkillsCredit.objects.create(task=task, user_id=task.owner_id, credit_value=credit_value(task))
    audit.record(actor=actor, org=_org(task), action="CREATE", instance=credit, after=audit.snapshot(credit))
    return credit
