"""Retention (seed 003): share links are deleted 90 days after they expire or are revoked; each run is recorded."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from accounts.services import system_user
from pit import audit
from pit.models import JobRun
from sharing.models import ShareLink


@transaction.atomic
def purge_share_links(*, now=None) -> JobRun:
    """One set-based DELETE of links past retention, audited per organisation, recorded in job_run. Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SHARE_LINK_RETENTION_DAYS)
    stale = ShareLink.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))
    by_org = defaultdict(list)
    for pk, org_id in stale.values_list("pk", "org_id"):
        by_org[org_id].append(pk)
    for org in Organisation.objects.filter(pk__in=by_org):
        audit.record_rows(
            actor=system_user(org), org=org, action="PURGE", table_name="share_link", record_ids=by_org[org.pk],
            after={"by": "retention", "days": settings.SHARE_LINK_RETENTION_DAYS},
        )  # fmt: skip
    deleted, _ = ShareLink.objects.filter(pk__in=[pk for ids in by_org.values() for pk in ids]).delete()
    return JobRun.objects.create(
        name="share-link-purge",
        started_at=now,
        finished_at=timezone.now(),
        rows_changed=deleted,
        detail={"cutoff": cutoff.isoformat(), "organisations": len(by_org)},
    )
