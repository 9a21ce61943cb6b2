"""What the baselines domain adds to shared pages, each behind one include line: the project page's panel and the
Gantt's baseline picker."""

from django import template

from accounts.permissions import PLAN, has_perm
from baselines import gantt, selectors
from baselines.forms import CaptureForm

register = template.Library()


@register.simple_tag(takes_context=True)
def project_baselines(context, project):
    return {
        "baselines": selectors.project_baselines(project),
        "can_plan": has_perm(context["request"].user, PLAN),
        "form": CaptureForm(),
    }


@register.simple_tag(takes_context=True)
def gantt_baselines(context, project):
    baselines = selectors.project_baselines(project)
    shown = gantt.chosen_id(context["request"], project)
    return {"baselines": baselines, "shown": next((b for b in baselines if b.pk == shown), None)}


@register.filter
def signed_days(days) -> str:
    """A slip in working days as people read it: "+4 d", "−2 d", "0 d"; empty when there is none."""
    if days is None:
        return ""
    return "0 d" if days == 0 else f"+{days} d" if days > 0 else f"−{-days} d"


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"
