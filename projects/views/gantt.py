"""The timeline pages: a project's Gantt (with its table view, SVG and CSV exports, and drag-to-reschedule) and the
portfolio Gantt."""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, has_perm
from activity import selectors as activity_selectors
from baselines import gantt as baseline_gantt
from calendars.selectors import calendar_for_project
from decisions import selectors as decision_selectors
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects import dependencies, selectors, services
from projects.forms import DependencyForm, PortfolioFilterForm
from projects.gantt import chart, portfolio, state, window
from projects.gantt import chart as c
from projects.gantt.scale import ZOOMS, Viewport, viewable
from projects.gantt.svg import render as render_svg
from projects.gantt.svg import window_markup
from projects.models import GanttState, Project, Task, TaskDependency
from projects.status import LABELS
from projects.views.common import add_errors
from watchdog import forecast

CONTROLS = ("zoom", "shift", "start", "toggle")


def _project(request, pk: int) -> Project:
    return get_for_org_or_404(Project, request.org, pk=pk)


def _toggles(rows, collapsed) -> dict:
    return {(c.MILESTONE_ROW, row[c.ID]): (f"?toggle={row[c.ID]}", row[c.ID] not in collapsed)
            for row in rows if row[c.KIND] == c.MILESTONE_ROW}  # fmt: skip


def _svg(request, project, gantt_state, *, standalone=False, whole=False) -> str:
    """The chart: every row for an export or on asking (`whole`), else the first window of rows (the browser brings
    the others in as the person scrolls)."""
    if standalone or whole:
        data, _ = chart.chart(project, gantt_state.zoom_level)
    else:
        data = window.window(project, gantt_state.zoom_level, gantt_state.collapsed)
    toggles = {} if standalone else _toggles(data["rows"], gantt_state.collapsed)
    calendar = calendar_for_project(project)
    return render_svg(
        data, state.viewport_of(gantt_state), request.org.today(), project_id=project.pk,
        title=f"Gantt chart of {project.name}", collapsed=gantt_state.collapsed, toggles=toggles,
        standalone=standalone, ghosts=forecast.gantt_ghosts(data, request.org.today(), calendar),
        decisions=decision_selectors.gantt_markers(project), calendar=calendar,
        highlight={} if standalone else activity_selectors.gantt_highlight(request, project),
        baseline=baseline_gantt.overlay(request, project, data),
    )  # fmt: skip


@org_required()
def project_gantt(request, pk: int):
    project = _project(request, pk)
    gantt_state = state.load(request.user, project)
    if any(request.GET.get(key) for key in CONTROLS):
        problems = state.apply(gantt_state, request.GET, project, request.org.today())
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            state.save(gantt_state)
        return redirect(reverse("projects:gantt", args=[project.pk]))
    whole = request.GET.get("all") == "1"
    rows = {"zoom": gantt_state.zoom_level, "start": gantt_state.viewport_start.isoformat(),
            "folded": ",".join(str(pk) for pk in gantt_state.collapsed)}  # fmt: skip
    if since := activity_selectors.asked_since(request):  # windows brought in later keep the changes highlighted
        rows["since"] = since
    context = {
        "project": project,
        "svg": _svg(request, project, gantt_state, whole=whole),
        "whole": whole,
        "print_now": whole and request.GET.get("print") == "1",
        "rows_url": f"{reverse('projects:gantt_rows', args=[project.pk])}?{urlencode(rows)}",
        "window": window.SIZE,
        "state": gantt_state,
        "zooms": list(ZOOMS),
        "can_plan": has_perm(request.user, PLAN),
    }
    return render(request, "projects/gantt.html", context)


class RowsForm(forms.Form):
    zoom = forms.ChoiceField(choices=[(zoom, zoom) for zoom in ZOOMS])
    start = forms.DateField()
    folded = forms.RegexField(regex=r"^(\d+(,\d+)*)?$", required=False)
    first = forms.IntegerField(min_value=0)
    v = forms.IntegerField()

    def clean_start(self):
        if not viewable(self.cleaned_data["start"]):
            raise ValidationError("The timeline does not reach that date.")
        return self.cleaned_data["start"]


@org_required()
def gantt_rows(request, pk: int):
    """A window of the chart's rows, drawn for the browser to add as the person scrolls (static/js/gantt-rows.js)."""
    project = _project(request, pk)
    form = RowsForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": "Ask for rows with zoom, start, first and v."}, status=400)
    ask = form.cleaned_data
    folded = [int(pk) for pk in ask["folded"].split(",") if pk]
    data = window.window(project, ask["zoom"], folded, ask["first"])
    if data is None:
        return JsonResponse({"ok": False, "message": "The chart has no rows there."}, status=404)
    if data["version"] != ask["v"]:
        return JsonResponse({"ok": False, "stale": True, "message": "The plan has changed: showing it again."},
                            status=409)  # fmt: skip
    ghosts = forecast.gantt_ghosts(data, request.org.today(), calendar_for_project(project))
    markup = window_markup(data, Viewport(ask["zoom"], ask["start"]), project_id=project.pk,
                           toggles=_toggles(data["rows"], folded), ghosts=ghosts,
                           decisions=decision_selectors.gantt_markers(project),
                           highlight=activity_selectors.gantt_highlight(request, project),
                           baseline=baseline_gantt.overlay(request, project, data))  # fmt: skip
    return JsonResponse({"ok": True, "first": data["first"], **markup})


class MoveForm(forms.Form):
    task = forms.IntegerField()
    start_date = forms.DateField()
    end_date = forms.DateField()


@require_POST
@org_required(PLAN)
def move_bar(request, pk: int):
    """A dragged bar's proposed dates: checked by the same rules as the edit form; answered with the new chart.
    A bar dragged whole (both dates shifted alike) keeps its working-day duration; a stretched one takes its dates."""
    project = _project(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": "Send the task and its new start and end dates."}, status=400)
    task = get_for_org_or_404(Task.objects.filter(project=project), request.org, pk=form.cleaned_data["task"])
    dates = {key: form.cleaned_data[key] for key in ("start_date", "end_date")}
    moved = dates["start_date"] != task.start_date and (
        dates["end_date"] - dates["start_date"] == task.end_date - task.start_date
    )
    try:
        if moved:
            task = services.reschedule(actor=request.user, task=task, start_date=dates["start_date"])
            dates["end_date"] = task.end_date
        else:
            services.update(actor=request.user, obj=task, **dates)
    except ValidationError as error:
        return JsonResponse({"ok": False, "message": " ".join(error.messages)}, status=400)
    gantt_state = state.load(request.user, project)
    message = f"Moved “{task}” to {dates['start_date']:%d %b %Y} – {dates['end_date']:%d %b %Y}."
    return JsonResponse({"ok": True, "message": message, "svg": _svg(request, project, gantt_state)})


@org_required()
def gantt_svg(request, pk: int):
    project = _project(request, pk)
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _svg(request, project, state.load(request.user, project),
                                                           standalone=True)  # fmt: skip
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(project.name) or "project"}-gantt.svg"'
    return response


KINDS = {c.MILESTONE_ROW: "Milestone", c.DELIVERABLE_ROW: "Deliverable", c.TASK_ROW: "Task"}


def _table(request, project) -> tuple[list[dict], GanttState]:
    """The chart's rows as a person reads them: the table view and the CSV."""
    gantt_state = state.load(request.user, project)
    data, _ = chart.chart(project, gantt_state.zoom_level)
    owners = data["owners"]
    rows = [
        {"kind": KINDS[row[c.KIND]], "id": row[c.ID], "name": row[c.NAME], "owner": owners.get(row[c.OWNER], ""),
         "start": row[c.START], "end": row[c.END], "progress": row[c.PROGRESS],
         "status": LABELS.get(row[c.STATUS], ""), "critical": bool(row[c.CRITICAL]),
         "late": bool(row[c.LATE]), "milestone": row[c.MILESTONE]}
        for row in data["rows"]
    ]  # fmt: skip
    return rows, gantt_state


def _cell(value):
    """Spreadsheets run cells that start like a formula: keep names such as "=SUM(...)" plain text."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


@org_required()
def gantt_csv(request, pk: int):
    project = _project(request, pk)
    rows, _ = _table(request, project)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(project.name) or "project"}-gantt.csv"'
    writer = csv.writer(response)
    columns = ["kind", "id", "name", "owner", "start", "end", "progress", "status", "critical", "late"]
    writer.writerow([*columns[:6], "progress_percent", "status", "critical", "starts_too_early"])
    for row in rows:
        writer.writerow([_cell(row[key]) if not isinstance(row[key], bool) else ("yes" if row[key] else "")
                         for key in columns])  # fmt: skip
    return response


@org_required()
def gantt_table(request, pk: int):
    project = _project(request, pk)
    rows, gantt_state = _table(request, project)
    folded = set(gantt_state.collapsed)
    rows = [row for row in rows if row["kind"] == "Milestone" or row["milestone"] not in folded]
    return render(request, "projects/gantt_table.html", {"project": project, "rows": rows})


@org_required()
def portfolio_gantt(request):
    form = PortfolioFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = list(selectors.portfolio(request.org, filters)[: portfolio.MAX_PROJECTS])
    expanded = portfolio.expanded_ids(request.GET.get("expand", ""))
    whole = request.GET.get("all") == "1"
    svg, viewport = portfolio.render(request, projects, expanded, request.GET, first=None if whole else 0)
    query = portfolio.query_without(request.GET, "zoom", "shift", "start", "all")
    rows_url = f"{reverse('projects:portfolio_gantt_rows')}?{portfolio.rows_query(request.GET, viewport)}"
    context = {"form": form, "svg": svg, "viewport": viewport, "zooms": list(ZOOMS), "count": len(projects),
               "filtered": bool(filters), "query": query, "whole": whole, "rows_url": rows_url,
               "window": window.SIZE}  # fmt: skip
    return render(request, "projects/portfolio_gantt.html", context)


@org_required()
def portfolio_gantt_rows(request):
    """A window of the portfolio's rows, drawn for the browser to add as the person scrolls."""
    form = PortfolioFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    first = request.GET.get("first", "")
    if not first.isdigit():
        return JsonResponse({"ok": False, "message": "Ask for rows from a row number (first)."}, status=400)
    projects = list(selectors.portfolio(request.org, filters)[: portfolio.MAX_PROJECTS])
    expanded = portfolio.expanded_ids(request.GET.get("expand", ""))
    markup = portfolio.rows(request, projects, expanded, request.GET, int(first))
    if markup is None:
        return JsonResponse({"ok": False, "message": "The chart has no rows there."}, status=404)
    return JsonResponse({"ok": True, "first": int(first), **markup})


@require_POST
@org_required(PLAN)
def dependency_add(request, pk: int):
    task = get_for_org_or_404(Task, request.org, pk=pk)
    form = DependencyForm(request.POST, task=task)
    if form.is_valid():
        try:
            dependencies.add_dependency(actor=request.user, successor=task, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, f"“{task}” now depends on “{form.cleaned_data['predecessor']}”.")
    return redirect(reverse("projects:task", args=[task.pk]) + "#dependencies")


@require_POST
@org_required(PLAN)
def dependency_remove(request, pk: int):
    dependency = get_for_org_or_404(TaskDependency.objects.select_related("successor"), request.org, pk=pk)
    dependencies.remove_dependency(actor=request.user, dependency=dependency)
    messages.success(request, "Dependency removed.")
    return redirect(reverse("projects:task", args=[dependency.successor_id]) + "#dependencies")
