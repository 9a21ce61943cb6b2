import datetime

import pytest
from django.utils import timezone

from pit.models import AuditLog, JobRun
from projects.tests.factories import ProjectFactory
from sharing.jobs import purge_share_links
from sharing.kinds import PROJECT_GANTT
from sharing.models import ShareLink
from sharing.services import create_link

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_links_go_90_days_after_expiry_or_revocation(org, manager, other_org):
    now = timezone.now()

    def link(label, project, **fields):
        made, _ = create_link(actor=manager, kind=PROJECT_GANTT.code, subject=project, label=label, expires_in_days=1)
        ShareLink.objects.filter(pk=made.pk).update(**fields)
        return made.pk

    project = ProjectFactory(org=org, owner=manager)
    old_expired = link("old expired", project, expires_at=now - 91 * DAY)
    link("recently expired", project, expires_at=now - 89 * DAY)
    old_revoked = link("old revoked", project, revoked_at=now - 91 * DAY, expires_at=now + 9 * DAY)
    link("live", project, expires_at=now + 9 * DAY)

    run = purge_share_links(now=now)
    assert set(ShareLink.objects.values_list("label", flat=True)) == {"recently expired", "live"}
    assert (run.name, run.rows_changed) == ("share-link-purge", 2)
    purged = AuditLog.objects.filter(action="PURGE", table_name="share_link")
    assert sorted(purged.values_list("record_id", flat=True)) == sorted([str(old_expired), str(old_revoked)])
    assert all(entry.org_id == org.pk for entry in purged)

    again = purge_share_links(now=now)  # idempotent: nothing more to do, still recorded
    assert again.rows_changed == 0 and JobRun.objects.filter(name="share-link-purge").count() == 2
