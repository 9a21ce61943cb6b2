"""Reads behind the pages: "what changed since" as asked in the query string, and its rows as people read them."""

from datetime import date

from django.db import connection

from activity import moments
from activity.changes import ChangeSet, changes_since
from activity.sentences import COSTS, STATUS, money
from projects.gantt.scale import short_date

FIELD_LABELS = {
    "name": "Name", "start_date": "Start", "end_date": "End", "status": "Status", "owner_id": "Owner",
    "progress_percent": "Progress", "capex_cost": "CAPEX", "opex_cost": "OPEX", "capex_total": "CAPEX",
    "opex_total": "OPEX",
}  # fmt: skip
PANEL_ROWS = 25  # the project page and the Gantt list this many; the changes page lists all


def asked_since(request) -> str:
    """`?since=`: a preset button's value, or else the typed moment (the form sends both names; one is empty)."""
    return next((value for value in request.GET.getlist("since") if value.strip()), "")


def requested(request, project) -> dict:
    """The comparison `?since=` asks for on this page: computed once per request (the Gantt's chart and its panel
    share it). Keys: since (as typed), presets, error, label, changes (a ChangeSet, or None)."""
    memo = request.__dict__.setdefault("_activity_changes", {})
    if project.pk not in memo:
        memo[project.pk] = _compute(asked_since(request), request.org, project)
    return memo[project.pk]


def _compute(value: str, org, project) -> dict:
    result = {"since": value, "presets": moments.PRESETS, "error": "", "label": "", "changes": None}
    try:
        moment = moments.parse(value, org)
    except moments.BadMoment as error:
        result["error"] = str(error)
        return result
    if moment is not None:
        result["changes"] = changes_since(project, moment)
        result["label"] = moments.label(value, moment, org)
    return result


def gantt_highlight(request, project) -> dict[str, str]:
    """Gantt row key ("t:12") → "added" or "changed", for the chart's renderer; empty unless `?since=` is asked."""
    changes = requested(request, project)["changes"]
    return changes.highlight if changes else {}


def _shown(name: str, value, people: dict) -> str:
    if value is None:
        return "—"
    if name in ("start_date", "end_date"):
        return short_date(date.fromisoformat(value))
    if name == "owner_id":
        return people.get(value, "someone")
    if name == "status":
        return STATUS.get(value, value)
    if name == "progress_percent":
        return f"{value} %"
    return money(value) if name in COSTS else str(value)


def rows(changeset: ChangeSet, limit: int | None = None) -> list[dict]:
    """The changes as table rows: level, name, state, link anchor, and (label, before, after) per field."""
    shown = changeset.changes if limit is None else changeset.changes[:limit]
    return [
        {
            "level": change.level, "id": change.id, "name": change.name, "state": change.state, "key": change.key,
            "fields": [(FIELD_LABELS[name], _shown(name, was, changeset.people), _shown(name, now, changeset.people))
                       for name, was, now in change.fields],
        }
        for change in shown
    ]  # fmt: skip


PROJECTS_CHANGED_SQL = """
WITH edits AS (
    SELECT 'm' AS level, h.id, h.project_id, h.history_type FROM milestone_history h WHERE h.history_date > %(moment)s
    UNION ALL
    SELECT 'd', h.id, h.project_id, h.history_type FROM deliverable_history h WHERE h.history_date > %(moment)s
    UNION ALL
    SELECT 't', h.id, h.project_id, h.history_type FROM task_history h WHERE h.history_date > %(moment)s
), removed AS (
    SELECT project_id, COUNT(*) AS n FROM (
        SELECT project_id FROM milestone WHERE deleted_at > %(moment)s
        UNION ALL SELECT project_id FROM deliverable WHERE deleted_at > %(moment)s
        UNION ALL SELECT project_id FROM task WHERE deleted_at > %(moment)s
    ) r GROUP BY project_id
), counted AS (
    SELECT project_id, COUNT(DISTINCT (level, id)) FILTER (WHERE history_type = '+') AS added,
           COUNT(DISTINCT (level, id)) FILTER (WHERE history_type = '~') AS edited
    FROM edits GROUP BY project_id
)
SELECT p.id, p.name, COALESCE(c.added, 0), COALESCE(r.n, 0), COALESCE(c.edited, 0)
FROM project p LEFT JOIN counted c ON c.project_id = p.id LEFT JOIN removed r ON r.project_id = p.id
WHERE p.org_id = %(org)s AND p.deleted_at IS NULL AND (c.project_id IS NOT NULL OR r.project_id IS NOT NULL)
ORDER BY COALESCE(c.added, 0) + COALESCE(r.n, 0) + COALESCE(c.edited, 0) DESC, p.name
LIMIT %(limit)s
"""


def projects_changed(org, moment, limit: int = 20) -> list[dict]:
    """The organisation's projects with recorded edits since `moment`, busiest first (one query). Counts of edits,
    not a comparison of states: the project's own page compares (an edit undone later still counts here)."""
    with connection.cursor() as cursor:
        cursor.execute(PROJECTS_CHANGED_SQL, {"org": org.pk, "moment": moment, "limit": limit})
        return [
            {"id": pk, "name": name, "added": added, "removed": removed, "edited": edited}
            for pk, name, added, removed, edited in cursor.fetchall()
        ]
