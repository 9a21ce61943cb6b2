"""A project's timeline as data, for clients that draw their own Gantt (the mobile app): the cached chart's rows
(projects.gantt.chart) in tree order, as milestones, deliverables and task bars with the critical path, late starts
and dependencies. Dates only: clients lay the bars out themselves."""

from projects.gantt import chart
from projects.gantt import chart as c
from projects.models import Project, ZoomLevel


def _bar(row, owners) -> dict:
    return {"id": row[c.ID], "name": row[c.NAME], "owner": row[c.OWNER], "owner_name": owners.get(row[c.OWNER], ""),
            "start_date": row[c.START], "end_date": row[c.END], "progress_percent": row[c.PROGRESS]}  # fmt: skip


def timeline(project: Project) -> dict:
    data, _ = chart.chart(project, ZoomLevel.MONTH)  # any zoom: the dates are the same in each
    owners = data["owners"]
    milestones, deliverables, tasks = [], [], []
    deliverable = None
    for row in data["rows"]:
        kind = row[c.KIND]
        if kind == c.MILESTONE_ROW:
            milestones.append(_bar(row, owners))
        elif kind == c.DELIVERABLE_ROW:
            deliverable = row[c.ID]
            deliverables.append(_bar(row, owners) | {"milestone": row[c.MILESTONE]})
        else:  # a task row follows its deliverable's row (tree order)
            late = [{"predecessor": pred, "earliest_start": allowed} for pred, allowed in row[c.LATE] or []]
            tasks.append(
                _bar(row, owners) | {"milestone": row[c.MILESTONE], "deliverable": deliverable, "status": row[c.STATUS],
                                     "critical": bool(row[c.CRITICAL]), "late_starts": late}
            )  # fmt: skip
    links = [{"predecessor": p, "successor": s, "lag_days": lag} for p, s, lag in data["links"]]
    return {
        "version": data["version"],
        "milestones": milestones,
        "deliverables": deliverables,
        "tasks": tasks,
        "dependencies": links,
        "critical_path": [task["id"] for task in tasks if task["critical"]],
    }
