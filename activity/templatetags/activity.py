from django import template

from activity import moments, selectors
from activity.changes import ROW_KIND

register = template.Library()
DOM_ID = {kind: level for level, kind in ROW_KIND.items()}  # "t" → "task": the project tree's row ids


@register.simple_tag(takes_context=True)
def requested_changes(context, project) -> dict:
    """The "what changed since" panel's data for this page's `?since=`: nothing is computed unless it is asked."""
    asked = dict(selectors.requested(context["request"], project))
    changes = asked["changes"]
    if changes:
        asked["rows"] = selectors.rows(changes, selectors.PANEL_ROWS)
        asked["more"] = len(changes.changes) > selectors.PANEL_ROWS
        ids = {"added": [], "changed": []}
        for key, state in changes.highlight.items():
            kind, pk = key.split(":")
            ids[state].append(f"{DOM_ID[kind]}-{pk}")
        asked["added_ids"], asked["changed_ids"] = " ".join(ids["added"]), " ".join(ids["changed"])
    return asked


@register.simple_tag(takes_context=True)
def dashboard_changes(context) -> dict:
    """The dashboard's "what changed since": per project, counts of items added, removed and edited."""
    request = context["request"]
    value = selectors.asked_since(request)
    asked = {"since": value, "presets": moments.PRESETS, "error": "", "label": "", "projects": None}
    try:
        moment = moments.parse(value, request.org)
    except moments.BadMoment as error:
        asked["error"] = str(error)
        return asked
    if moment is not None:
        asked["projects"] = selectors.projects_changed(request.org, moment)
        asked["label"] = moments.label(value, moment, request.org)
    return asked
