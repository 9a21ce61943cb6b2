"""Demo share links: on each organisation's first project, one live (with a passcode), one used up, one revoked."""

from accounts.models import User
from accounts.permissions import Role
from projects.models import Project
from sharing import services
from sharing.kinds import PROJECT_GANTT
from sharing.models import ShareLink


def seed(orgs, *, seed: int) -> None:
    for org in orgs:
        project = Project.objects.for_org(org).order_by("pk").first()
        manager = User.objects.for_org(org).people().filter(role__in=[Role.MANAGER, Role.ORG_ADMIN]).first()
        if project is None or manager is None:
            continue
        share = dict(actor=manager, kind=PROJECT_GANTT.code, subject=project)
        services.create_link(**share, label="Council engineer", expires_in_days=30, passcode="harbour-2026")
        used, _ = services.create_link(**share, label="Board pack, March", expires_in_days=7, view_limit=3)
        ShareLink.objects.filter(pk=used.pk).update(view_count=3)
        revoked, _ = services.create_link(**share, label="Former contractor", expires_in_days=14)
        services.revoke_link(actor=manager, link=revoked)
