"""Stakeholders (`/stakeholders/`) and skills credits (`/credits/`, with a CSV export)."""

import csv
from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.permissions import DECIDE, PLAN, has_perm
from decisions.forms import CreditsForm, StakeholderForm
from decisions.models import Stakeholder
from decisions.selectors import credits
from decisions.services import stakeholders as services
from decisions.views.common import form_page, save_form
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404

CSV_FORMULA = ("=", "+", "-", "@")


@org_required()
def stakeholder_list(request):
    rows = Stakeholder.objects.for_org(request.org).select_related("user").order_by("-is_active", "name")
    context = {"stakeholders": rows, "can_manage": has_perm(request.user, DECIDE)}
    return render(request, "decisions/stakeholder_list.html", context)


@org_required(DECIDE)
def stakeholder_create(request):
    form = StakeholderForm(request.POST or None, org=request.org)

    def action(**fields):
        return services.create_stakeholder(actor=request.user, org=request.org, **fields)

    back = reverse("decisions:stakeholders")
    return save_form(request, form, action, success="Added the stakeholder “{obj}”.") or form_page(
        request, form, title="New stakeholder", back=back, submit="Add"
    )


@org_required(DECIDE)
def stakeholder_edit(request, pk: int):
    stakeholder = get_for_org_or_404(Stakeholder, request.org, pk=pk)
    form = StakeholderForm(request.POST or None, instance=stakeholder, org=request.org)

    def action(**fields):
        changes = {name: fields[name] for name in form.changed_data}
        return services.update_stakeholder(actor=request.user, stakeholder=stakeholder, **changes)

    back = reverse("decisions:stakeholders")
    return save_form(request, form, action, success="Saved “{obj}”.") or form_page(
        request, form, title=f"Edit “{stakeholder}”", back=back, submit="Save"
    )


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA) else text  # a spreadsheet must not run a name as a formula


@org_required(PLAN)
def credit_report(request):
    """Skills credits per person or team for a period (default: the last 90 days); `?format=csv` downloads it."""
    today = request.org.today()
    defaults = {"start": today - timedelta(days=89), "end": today, "by": "person"}
    form = CreditsForm(request.GET or None, initial=defaults)
    period = form.cleaned_data if form.is_valid() else (defaults if not request.GET else None)
    rows = credits(request.org, period["start"], period["end"], by=period["by"]) if period else []
    if period and request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="credits-{period["by"]}-{period["start"]}-{period["end"]}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(["team" if period["by"] == "team" else "person", "credits", "tasks"])
        for row in rows:
            writer.writerow([_cell(row["name"]), row["credits"], row["tasks"]])
        return response
    context = {"form": form, "rows": rows, "period": period, "total": sum(row["credits"] for row in rows)}
    return render(request, "decisions/credits.html", context)
