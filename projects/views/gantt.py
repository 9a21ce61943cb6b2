"""The timeline pages: a project's Gantt (with its table view, SVG and CSV exports, and drag-to-reschedule) and the
portfolio Gantt."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, has_perm
from baselines import gantt as baseline_gantt
from decisions import selectors as decision_selectors
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects import dependencies, selectors, services
from projects.forms import DependencyForm, PortfolioFilterForm
from projects.gantt import chart, portfolio, state
from projects.gantt import chart as c
from projects.gantt.scale import ZOOMS
from projects.gantt.svg import render as render_svg
from projects.models import GanttState, Project, Task, TaskDependency
from projects.status import LABELS
from projects.views.common import add_errors
from watchdog import forecast

CONTROLS = ("zoom", "shift", "start", "toggle")


def _project(request, pk: int) -> Project:
    return get_for_org_or_404(Project, request.org, pk=pk)


def _svg(request, project, gantt_state, *, standalone=False) -> str:
    data, _ = chart.chart(project, gantt_state.zoom_level)
    toggles = {} if standalone else {
        (c.MILESTONE_ROW, row[c.ID]): (f"?toggle={row[c.ID]}", row[c.ID] not in gantt_state.collapsed)
        for row in data["rows"] if row[c.KIND] == c.MILESTONE_ROW
    }  # fmt: skip
    return render_svg(
        data, state.viewport_of(gantt_state), request.org.today(), project_id=project.pk,
        title=f"Gantt chart of {project.name}", collapsed=gantt_state.collapsed, toggles=toggles,
        standalone=standalone, ghosts=forecast.gantt_ghosts(data, request.org.today()),
        decisions=decision_selectors.gantt_markers(project), baseline=baseline_gantt.overlay(request, project, data),
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
    context = {
        "project": project,
        "svg": _svg(request, project, gantt_state),
        "state": gantt_state,
        "zooms": list(ZOOMS),
        "can_plan": has_perm(request.user, PLAN),
    }
    return render(request, "projects/gantt.html", context)


class MoveForm(forms.Form):
    task = forms.IntegerField()
    start_date = forms.DateField()
    end_date = forms.DateField()


@require_POST
@org_required(PLAN)
def move_bar(request, pk: int):
    """A dragged bar's proposed dates: checked by the same rules as the edit form; answered with the new chart."""
    project = _project(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "message": "Send the task and its new start and end dates."}, status=400)
    task = get_for_org_or_404(Task.objects.filter(project=project), request.org, pk=form.cleaned_data["task"])
    dates = {key: form.cleaned_data[key] for key in ("start_date", "end_date")}
    try:
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
    svg, viewport = portfolio.render(request, projects, expanded, request.GET)
    query = portfolio.query_without(request.GET, "zoom", "shift", "start")
    context = {"form": form, "svg": svg, "viewport": viewport, "zooms": list(ZOOMS), "count": len(projects),
               "filtered": bool(filters), "query": query}  # fmt: skip
    return render(request, "projects/portfolio_gantt.html", context)


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
