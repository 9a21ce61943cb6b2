"""Which baseline a person shows on a project's Gantt: `?baseline=<id>` chooses it (`?baseline=` hides it) and the
session remembers the choice per project, so the drag-to-reschedule answer and the exports draw it too."""

from django.http import Http404

from baselines import selectors
from baselines.models import Baseline
from calendars.selectors import calendar_for_project
from pit.tenancy import get_for_org_or_404

PARAM = "baseline"


def _key(project) -> str:
    return f"baselines.gantt.{project.pk}"


def chosen(request, project) -> Baseline | None:
    """The baseline to show (another organisation's or another project's is a 404); remembers a new choice."""
    if PARAM in request.GET:
        raw = request.GET[PARAM].strip()
        if not raw:
            request.session.pop(_key(project), None)
            return None
        baseline = get_for_org_or_404(Baseline.objects.filter(project=project), request.org, pk=raw)
        request.session[_key(project)] = baseline.pk
        return baseline
    remembered = request.session.get(_key(project))
    if remembered is None:
        return None
    try:
        return get_for_org_or_404(Baseline.objects.filter(project=project), request.org, pk=remembered)
    except Http404:  # deleted since: forget it
        request.session.pop(_key(project), None)
        return None


def chosen_id(request, project) -> int | None:
    """The shown baseline's id without a query (for the picker)."""
    raw = request.GET.get(PARAM)
    if raw is not None:
        return int(raw) if raw.strip().isdigit() else None
    return request.session.get(_key(project))


def overlay(request, project, data: dict) -> dict | None:
    """The chosen baseline's shadow bars for the chart `data`, or None."""
    baseline = chosen(request, project)
    if baseline is None:
        return None
    return selectors.gantt_overlay(baseline, data, calendar_for_project(project))
