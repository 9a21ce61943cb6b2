"""What can be shared, one entry per kind: how to find the subject (within its organisation) and how to show it.

A domain that shares something new (e.g. one evidence item) registers a `Kind`; the link model, the services, the
counting, the passcode and the pages stay as they are.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from projects.gantt import chart, state
from projects.gantt.svg import render as render_svg
from projects.models import Project


@dataclass(frozen=True)
class Kind:
    code: str
    noun: str  # what the outsider is shown, e.g. "Gantt chart"
    load: Callable  # (org, subject_id) -> the subject, or None when it is gone
    page: Callable  # (link, subject) -> (template name, context)
    home: Callable  # (subject_id) -> the page in PIT where its links are listed


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def _load_project(org, subject_id):
    return Project.objects.for_org(org).select_related("org").filter(pk=subject_id).first()


# The chart's bars link into PIT; on a shared page they become plain groups (same classes, so same look).
_LINK_OPEN = re.compile(r'<a href="[^"]*"')


def unlinked(svg: str) -> str:
    return _LINK_OPEN.sub("<g", svg).replace("</a>", "</g>")


def _gantt_page(link, project):
    viewport = state.fitted(project)
    data, _ = chart.chart(project, viewport.zoom)
    svg = render_svg(data, viewport, project.org.today(), project_id=project.pk, title=f"Gantt chart of {project.name}")
    return "sharing/shared_gantt.html", {"project": project, "svg": unlinked(svg)}


def _project_home(subject_id: int) -> str:
    return reverse("projects:project", args=[subject_id]) + "#share-links"


PROJECT_GANTT = register(Kind("project_gantt", "Gantt chart", _load_project, _gantt_page, _project_home))
