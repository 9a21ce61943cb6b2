from django import template

from accounts.permissions import PLAN, has_perm
from sharing import selectors
from sharing.kinds import EVIDENCE_ITEM, PROJECT_GANTT

register = template.Library()


def _links(context, kind, subject):
    """A subject's share links, for planners (one query); nothing for anyone else."""
    request = context["request"]
    if not has_perm(request.user, PLAN):
        return {"visible": False}
    links = selectors.links_for(request.org, kind.code, subject.pk)
    return {"visible": True, "links": links, "kind": kind, "subject": subject, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("sharing/_links.html", takes_context=True)
def project_share_links(context, project):
    return _links(context, PROJECT_GANTT, project)


@register.inclusion_tag("sharing/_links.html", takes_context=True)
def evidence_share_links(context, evidence):
    return _links(context, EVIDENCE_ITEM, evidence)
