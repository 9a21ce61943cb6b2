"""Writes for organisations, people, teams and sessions. Each is one transaction with its audit row."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, IdempotencyKey, Organisation, Team, TeamMembership, TeamRole, User, UserSession
from accounts.permissions import Role
from pit import audit, context
from pit.models import JobRun

SEEN_KEY = "_pit_seen"
SEEN_EVERY_SECONDS = 60


@transaction.atomic
def create_organisation(
    *, name: str, slug: str, time_zone: str = "Australia/Sydney", fy_start_month: int = 7, actor=None
):
    org = Organisation(name=name, slug=slug, time_zone=time_zone, fy_start_month=fy_start_month)
    org.full_clean()
    org.save()
    system = User.objects.create_user(
        f"system+{slug}@pit.invalid", None, name=f"{name} (system)", org=org, role=Role.VIEWER, is_system=True
    )
    audit.record(actor=actor or system, org=org, action="CREATE", instance=org, after=audit.snapshot(org))
    return org


def system_user(org) -> User:
    """The actor recorded for scheduled jobs and other writes no person made."""
    return User.objects.get(org=org, is_system=True)


@transaction.atomic
def create_user(*, actor, org, email: str, name: str, role: str = Role.MEMBER, password: str | None = None) -> User:
    user = User.objects.create_user(email, password, name=name, org=org, role=role)
    audit.record(actor=actor, org=org, action="USER_CREATED", instance=user, after=audit.snapshot(user))
    return user


@transaction.atomic
def create_team(*, actor, org, name: str, manager: User) -> Team:
    team = Team(org=org, name=name, manager=manager)
    team.full_clean()
    team.save()
    audit.record(actor=actor, org=org, action="CREATE", instance=team, after=audit.snapshot(team))
    add_team_member(actor=actor, team=team, user=manager, role=TeamRole.LEAD)
    return team


@transaction.atomic
def add_team_member(*, actor, team: Team, user: User, role: str = TeamRole.MEMBER) -> TeamMembership:
    membership = TeamMembership(team=team, user=user, role=role)
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor, org=team.org_id, action="TEAM_MEMBER_ADDED", instance=membership, after=audit.snapshot(membership)
    )
    return membership


def record_session_activity(request) -> None:
    """Upsert the signed-in session's row at most once a minute (one query), so users can see their devices."""
    session = request.session
    now = timezone.now()
    if session.session_key is None or now.timestamp() - session.get(SEEN_KEY, 0) < SEEN_EVERY_SECONDS:
        return
    ctx = context.current()
    UserSession.objects.bulk_create(
        [
            UserSession(
                user_id=request.user.pk,
                session_key=session.session_key,
                user_agent=ctx.user_agent,
                ip_address=ctx.ip_address,
                created_at=now,
                last_active_at=now,
                expires_at=session.get_expiry_date(),
            )
        ],
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["last_active_at", "ip_address", "user_agent", "expires_at"],
    )
    session[SEEN_KEY] = now.timestamp()


@transaction.atomic
def record_login(request, user: User) -> None:
    request.session.pop(SEEN_KEY, None)
    record_session_activity(request)
    audit.record(actor=user, org=user.org_id, action="LOGIN", table_name="user", record_id=user.pk)


@transaction.atomic
def end_session(request) -> None:
    """Sign out: the session row is closed, the audit log says so, Django forgets the session."""
    user = request.user
    if user.is_authenticated:
        UserSession.objects.filter(session_key=request.session.session_key).update(revoked_at=timezone.now())
        audit.record(actor=user, org=user.org_id, action="LOGOUT", table_name="user", record_id=user.pk)
    logout(request)


@transaction.atomic
def revoke_sessions(*, actor: User, sessions) -> int:
    """Revoke the given sessions of `actor`: their Django sessions are deleted, so those devices are signed out."""
    rows = list(sessions.filter(user=actor, revoked_at__isnull=True).select_for_update())
    if not rows:
        return 0
    keys = [row.session_key for row in rows]
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).update(revoked_at=timezone.now())
    for row in rows:
        audit.record(
            actor=actor,
            org=actor.org_id,
            action="SESSION_REVOKED",
            instance=row,
            before={"user_agent": row.user_agent, "ip_address": row.ip_address},
        )
    return len(rows)


TOKEN_PREFIX = "pit_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user: User, device_name: str = "") -> tuple[ApiToken, str]:
    """A new API token for a device that signed in: the row, and the token itself (shown once, never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ctx = context.current()
    token = ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        prefix=raw[:12],
        device_name=device_name.strip(),
        user_agent=ctx.user_agent,
        ip_address=ctx.ip_address,
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    audit.record(
        actor=user, org=user.org_id, action="TOKEN_ISSUED", instance=token, after={"device_name": token.device_name}
    )
    return token, raw


def touch_token(token: ApiToken) -> None:
    """Record the token's last use, at most once a minute (a phone syncing does not write on every request)."""
    now = timezone.now()
    seen = token.last_used_at
    if seen is None or (now - seen).total_seconds() >= settings.API_TOKEN_SEEN_EVERY_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def revoke_tokens(*, actor: User, tokens, reason: str = "revoked") -> int:
    """Revoke these tokens (the caller scopes them to their user); the audit log says why."""
    rows = list(tokens.filter(revoked_at__isnull=True).select_for_update())
    if not rows:
        return 0
    ApiToken.objects.filter(pk__in=[row.pk for row in rows]).update(revoked_at=timezone.now())
    for row in rows:
        audit.record(
            actor=actor,
            org=actor.org_id,
            action="TOKEN_REVOKED",
            instance=row,
            before={"device_name": row.device_name, "prefix": row.prefix},
            after={"reason": reason},
        )
    return len(rows)


def purge_idempotency_keys() -> JobRun:
    """Forget the API's stored first answers once their retry window has passed (an hourly beat job)."""
    started = timezone.now()
    cutoff = started - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return JobRun.objects.create(
        name="idempotency-purge", started_at=started, finished_at=timezone.now(), rows_changed=deleted
    )
