"""Baseline pages: capture (from the project page), the variance table and its CSV, the reference flag, renaming
and deleting. Writes need PLAN (whoever may edit the plan); reading needs only a member of the organisation."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, has_perm
from baselines import selectors, services
from baselines.forms import CaptureForm, RenameForm, VarianceFilterForm
from baselines.models import Baseline
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project

PAGE_SIZE = 200
FILTERS = {
    "all": lambda row: True,
    "changed": lambda row: row.state != "unchanged",
    "slipped": lambda row: bool(row.finish_slip and row.finish_slip > 0),
}


def _baseline(request, pk: int) -> Baseline:
    return get_for_org_or_404(Baseline.objects.select_related("project", "captured_by"), request.org, pk=pk)


def _panel(project) -> str:
    return reverse("projects:project", args=[project.pk]) + "#baselines"


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@require_POST
@org_required(PLAN)
def capture(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    form = CaptureForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_panel(project))
    try:
        baseline = services.capture(actor=request.user, project=project, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"Captured the baseline “{baseline}”: {baseline.task_count} task(s).")
    return redirect(_panel(project))


@require_POST
@org_required(PLAN)
def reference(request, pk: int):
    baseline = _baseline(request, pk)
    make = request.POST.get("reference") == "1"
    services.set_reference(actor=request.user, baseline=baseline, reference=make)
    messages.success(request, f"“{baseline}” is {'now' if make else 'no longer'} the reference baseline.")
    return redirect(_panel(baseline.project))


@require_POST
@org_required(PLAN)
def rename(request, pk: int):
    baseline = _baseline(request, pk)
    form = RenameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(form.errors["name"]))
        services.rename(actor=request.user, baseline=baseline, name=form.cleaned_data["name"])
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, f"Renamed the baseline to “{form.cleaned_data['name'].strip()}”.")
    return redirect(reverse("baselines:variance", args=[baseline.pk]))


@require_POST
@org_required(PLAN)
def delete(request, pk: int):
    baseline = _baseline(request, pk)
    services.delete(actor=request.user, baseline=baseline)
    messages.success(request, f"Deleted the baseline “{baseline}”.")
    return redirect(_panel(baseline.project))


@org_required()
def variance(request, pk: int):
    baseline = _baseline(request, pk)
    form = VarianceFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or "all"
    rows, summary = selectors.comparison(baseline)
    shown = [row for row in rows if FILTERS[show](row)]
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"baseline": baseline, "project": baseline.project, "summary": summary, "page": page, "form": form,
               "show": show, "can_plan": has_perm(request.user, PLAN)}  # fmt: skip
    return render(request, "baselines/variance.html", context)


def _cell(value):
    """Spreadsheets run cells that start like a formula: keep names such as "=SUM(...)" plain text."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


CSV_COLUMNS = ["kind", "id", "name", "state", "baseline_start", "baseline_finish", "current_start", "current_finish",
               "start_slip_working_days", "finish_slip_working_days", "baseline_progress", "current_progress",
               "baseline_cost", "current_cost", "cost_change"]  # fmt: skip


def _csv_row(row) -> list:
    then, now, item = row.then, row.now, row.item
    return [item.kind, item.id, _cell(item.name), row.state, then and then.start, then and then.end,
            now and now.start, now and now.end, row.start_slip, row.finish_slip, then and then.progress,
            now and now.progress, then and then.cost, now and now.cost, row.cost_change]  # fmt: skip


@org_required()
def variance_csv(request, pk: int):
    baseline = _baseline(request, pk)
    rows, _ = selectors.comparison(baseline)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{baseline.project.name}-{baseline.name}") or "baseline"
    response["Content-Disposition"] = f'attachment; filename="{name}-variance.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(["" if value is None else value for value in _csv_row(row)] for row in rows)
    return response
