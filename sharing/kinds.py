"""What can be shared, one entry per kind: how to find the subject (within its organisation) and how to show it.

A domain that shares something new (e.g. one evidence item) registers a `Kind`; the link model, the services, the
counting, the passcode and the pages stay as they are.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from evidence import storage
from evidence.inspection import INLINE
from evidence.models import Evidence
from projects.gantt import chart, state
from projects.gantt.svg import render as render_svg
from projects.models import Project


@dataclass(frozen=True)
class Kind:
    code: str
    noun: str  # what the outsider is shown, e.g. "Gantt chart"
    share_url: str  # the URL name of the page that shares one subject (it takes the subject's pk)
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


PROJECT_GANTT = register(
    Kind("project_gantt", "Gantt chart", "sharing:share_project", _load_project, _gantt_page, _project_home)
)


def _load_evidence(org, subject_id):
    """The shared version only while it is the item's current one: a newer version or a deletion ends the link."""
    queryset = Evidence.objects.for_org(org).select_related("task__project__org", "uploaded_by")
    return queryset.filter(pk=subject_id, is_current=True).first()


def _evidence_page(link, evidence):
    inline = storage.presigned_url(evidence, inline=True) if evidence.mime in INLINE else ""
    return "sharing/shared_evidence.html", {"evidence": evidence, "inline_url": inline,
                                            "download_url": storage.presigned_url(evidence)}  # fmt: skip


def _evidence_home(subject_id: int) -> str:
    return reverse("evidence:detail", args=[subject_id]) + "#share-links"


EVIDENCE_ITEM = register(
    Kind("evidence_item", "Evidence", "sharing:share_evidence", _load_evidence, _evidence_page, _evidence_home)
)
