from django import template

from accounts.permissions import PLAN, has_perm
from sharing import selectors
from sharing.kinds import PROJECT_GANTT

register = template.Library()


@register.inclusion_tag("sharing/_links.html", takes_context=True)
def project_share_links(context, project):
    """The project's share links, for planners (one query); nothing for anyone else."""
    request = context["request"]
    if not has_perm(request.user, PLAN):
        return {"visible": False}
    links = selectors.links_for(request.org, PROJECT_GANTT.code, project.pk)
    return {"visible": True, "links": links, "project": project, "csrf_token": context.get("csrf_token")}
