"""Writes for organisations, people, teams and sessions. Each is one transaction with its audit row."""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, IdempotencyKey, Organisation, Team, TeamMembership, TeamRole, User, UserSession
from accounts.permissions import Role
from pit import audit, context
from pit.models import JobRun

SEEN_KEY = "_pit_seen"
SIGNED_IN_KEY = "_pit_signed_in"
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
    request.session[SIGNED_IN_KEY] = time.time()
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


def session_timeout(request) -> str | None:
    """Why the signed-in session must end now ("idle" or "absolute"), or None while it is within its limits."""
    session, now = request.session, time.time()
    signed_in = session.setdefault(SIGNED_IN_KEY, now)  # sessions from before the limits existed start now
    if now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT:
        return "absolute"
    if now - session.get(SEEN_KEY, now) > settings.SESSION_IDLE_TIMEOUT + SEEN_EVERY_SECONDS:
        return "idle"  # SEEN_KEY is written at most once a minute, so allow that minute
    return None


TIMEOUT_MESSAGES = {
    "idle": "You were signed out after a while without activity. Please sign in again.",
    "absolute": "Your session reached its time limit. Please sign in again.",
}


@transaction.atomic
def expire_session(request, reason: str) -> None:
    """A session past its idle or absolute limit: closed like a sign-out, recorded, and the person told why."""
    user = request.user
    UserSession.objects.filter(session_key=request.session.session_key).update(revoked_at=timezone.now())
    audit.record(
        actor=user,
        org=user.org_id,
        action="SESSION_EXPIRED",
        table_name="user",
        record_id=user.pk,
        after={"reason": reason},
    )
    logout(request)
    messages.info(request, TIMEOUT_MESSAGES[reason])


@transaction.atomic
def revoke_all_sessions(*, actor: User, user: User, reason: str, keep_session_key: str | None = None) -> int:
    """Sign `user` out everywhere (but `keep_session_key`): after a password change or reset, or deactivation.

    Django sessions go and the session rows are closed (API tokens go with the password or the account: see
    accounts/signals.py). Returns how many sessions were signed out.
    """
    rows = UserSession.objects.filter(user=user, revoked_at__isnull=True).exclude(session_key=keep_session_key or "")
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.update(revoked_at=timezone.now())
    audit.record(
        actor=actor,
        org=user.org_id,
        action="SESSIONS_REVOKED",
        table_name="user",
        record_id=user.pk,
        after={"reason": reason, "sessions": len(keys)},
    )
    return len(keys)


@transaction.atomic
def password_changed(request, user: User, *, old_session_key: str) -> None:
    """After a password change the signed-in device stays (under its new session id); every other one is out."""
    new_key = request.session.session_key
    UserSession.objects.filter(session_key=old_session_key).update(session_key=new_key)
    revoke_all_sessions(actor=user, user=user, reason="password_changed", keep_session_key=new_key)


@transaction.atomic
def unlock_sign_ins(*, actor: User, attempts) -> int:
    """Forget failed sign-ins (django-axes attempts), which lifts their lockout; one audit row each."""
    rows = list(attempts.values("pk", "username", "ip_address", "failures_since_start"))
    attempts.model.objects.filter(pk__in=[row["pk"] for row in rows]).delete()
    for row in rows:
        audit.record(
            actor=actor,
            org=actor.org_id,
            action="SIGN_IN_UNLOCKED",
            table_name=attempts.model._meta.db_table,
            record_id=row["pk"],
            before={key: row[key] for key in ("username", "ip_address", "failures_since_start")},
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
