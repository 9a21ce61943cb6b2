"""The one permission matrix: roles to what they may do. Views, admin and the API all ask `has_perm`."""

from django.db import models


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organisation admin"
    MANAGER = "manager", "Manager"
    MEMBER = "member", "Member"
    REVIEWER = "reviewer", "Reviewer"
    VIEWER = "viewer", "Viewer"


VIEW = "org.view"  # read the organisation's projects, dashboards, Gantt, alerts, decisions
ADMINISTER = "org.administer"  # users, teams, divisions, templates, restore deleted rows; Django admin
PLAN = "project.plan"  # create/edit/delete projects, milestones, deliverables, tasks
UPDATE_OWN_WORK = "task.update_own"  # status/progress of tasks the user owns or is assigned to
UPLOAD_EVIDENCE = "evidence.upload"
REVIEW_EVIDENCE = "evidence.review"
RESOLVE_ALERTS = "alert.resolve"
RAISE_DECISIONS = "decision.raise"  # open decisions and comment on them
DECIDE = "decision.decide"  # record a decision, escalate
VIEW_AUDIT = "audit.view"

ALL = frozenset(
    {VIEW, ADMINISTER, PLAN, UPDATE_OWN_WORK, UPLOAD_EVIDENCE, REVIEW_EVIDENCE, RESOLVE_ALERTS}
    | {RAISE_DECISIONS, DECIDE, VIEW_AUDIT}
)

MATRIX: dict[str, frozenset[str]] = {
    Role.ORG_ADMIN: ALL,
    Role.MANAGER: ALL - {ADMINISTER},
    Role.MEMBER: frozenset({VIEW, UPDATE_OWN_WORK, UPLOAD_EVIDENCE, RAISE_DECISIONS}),
    Role.REVIEWER: frozenset({VIEW, UPDATE_OWN_WORK, UPLOAD_EVIDENCE, REVIEW_EVIDENCE, RAISE_DECISIONS}),
    Role.VIEWER: frozenset({VIEW}),
}


def has_perm(user, perm: str) -> bool:
    if perm not in ALL:
        raise ValueError(f"unknown permission {perm!r}")
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or perm in MATRIX.get(user.role, frozenset())


def perms_of(user) -> frozenset[str]:
    return frozenset(perm for perm in ALL if has_perm(user, perm))
