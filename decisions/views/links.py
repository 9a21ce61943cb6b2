"""A task's ISMS criteria and risk treatment plans: linked and removed from the task's page (planners)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN
from decisions.forms import IsmsLinkForm, RiskLinkForm
from decisions.services import links
from decisions.views.common import post_action
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import IsmsLink, RiskLink, Task

KINDS = {"isms": IsmsLink, "risk": RiskLink}


def _back(task) -> str:
    return task.get_absolute_url() + "#task-links"


@require_POST
@org_required(PLAN)
def isms_add(request, pk: int):
    task = get_for_org_or_404(Task.objects.select_related("project"), request.org, pk=pk)

    def action(criteria_code, criteria_version):
        links.link_isms(actor=request.user, task=task, criteria_code=criteria_code, criteria_version=criteria_version)

    return post_action(request, IsmsLinkForm(request.POST), action, success="Linked the ISMS criterion.",
                       back=_back(task))  # fmt: skip


@require_POST
@org_required(PLAN)
def risk_add(request, pk: int):
    task = get_for_org_or_404(Task.objects.select_related("project"), request.org, pk=pk)

    def action(risk_id):
        links.link_risk(actor=request.user, task=task, risk_id=risk_id)

    return post_action(request, RiskLinkForm(request.POST), action, success="Linked the risk treatment plan.",
                       back=_back(task))  # fmt: skip


@require_POST
@org_required(PLAN)
def link_remove(request, kind: str, pk: int):
    link = get_for_org_or_404(KINDS[kind].objects.select_related("task__project"), request.org, pk=pk)
    links.unlink(actor=request.user, link=link)
    messages.success(request, f"Removed {link}.")
    return redirect(_back(link.task))
