"""Share links: create, revoke, open (passcode, view counting). Writes are audited in their transaction."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.permissions import PLAN, has_perm
from accounts.services import system_user
from pit import audit
from pit.tenancy import org_of
from sharing import throttle
from sharing.kinds import KINDS
from sharing.models import ShareLink

MAX_DAYS = 90
MAX_VIEWS = 10_000
PUBLIC_FIELDS = ["kind", "subject_id", "label", "expires_at", "view_limit", "view_count", "revoked_at"]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _state(link: ShareLink) -> dict:
    """What the audit log keeps of a link: never its token hash or passcode hash."""
    return {key: value for key, value in audit.snapshot(link).items() if key in PUBLIC_FIELDS} | {
        "passcode": bool(link.passcode_hash)
    }


@transaction.atomic
def create_link(
    *, actor, kind: str, subject, label: str, expires_in_days: int, view_limit: int | None = None, passcode: str = ""
) -> tuple[ShareLink, str]:
    """A new link to `subject`; returns it with its token, which exists only in this return value and the URL."""
    if not has_perm(actor, PLAN):
        raise PermissionDenied("Your role does not allow sharing.")
    if kind not in KINDS:
        raise ValidationError(f"Nothing of kind {kind!r} can be shared.")
    if not label.strip():
        raise ValidationError("Say who the link is for.")
    if not 1 <= expires_in_days <= MAX_DAYS:
        raise ValidationError(f"A link lasts between 1 and {MAX_DAYS} days.")
    if view_limit is not None and not 1 <= view_limit <= MAX_VIEWS:
        raise ValidationError(f"A view limit is between 1 and {MAX_VIEWS:,}.")
    token = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        org=org_of(subject),
        kind=kind,
        subject_id=subject.pk,
        label=label.strip(),
        token_hash=hash_token(token),
        passcode_hash=make_password(passcode) if passcode else "",
        expires_at=timezone.now() + timedelta(days=expires_in_days),
        view_limit=view_limit,
        created_by=actor,
    )
    audit.record(actor=actor, org=link.org_id, action="SHARE_LINK_CREATED", instance=link, after=_state(link))
    return link, token


@transaction.atomic
def revoke_link(*, actor, link: ShareLink) -> bool:
    """Withdraw a link at once; False when it was already revoked."""
    if not has_perm(actor, PLAN):
        raise PermissionDenied("Your role does not allow sharing.")
    now = timezone.now()
    if not ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor):
        return False
    link.revoked_at, link.revoked_by = now, actor
    audit.record(actor=actor, org=link.org_id, action="SHARE_LINK_REVOKED", instance=link, after=_state(link))
    return True


def find_link(token: str) -> ShareLink | None:
    return ShareLink.objects.select_related("org").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def record_view(link: ShareLink) -> bool:
    """Count one view if the link still allows it: one conditional UPDATE, so the last view is never given twice."""
    now = timezone.now()
    counted = ShareLink.objects.live(now).filter(pk=link.pk).update(view_count=F("view_count") + 1, last_viewed_at=now)
    if counted:
        link.view_count += 1
        audit.record(
            actor=system_user(link.org),  # the viewer is no one PIT knows; the row keeps their address and browser
            org=link.org_id,
            action="SHARE_LINK_VIEWED",
            instance=link,
            after={"view_count": link.view_count},
        )
    return bool(counted)


def try_passcode(link: ShareLink, passcode: str, ip: str | None) -> str:
    """ "ok", "wrong" or "locked" (too many wrong passcodes for this link or from this address lately)."""
    if throttle.locked(link.pk, ip):
        return "locked"
    if check_password(passcode, link.passcode_hash):
        return "ok"
    throttle.record_failure(link.pk, ip)
    return "locked" if throttle.locked(link.pk, ip) else "wrong"
