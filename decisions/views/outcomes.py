"""Outcomes (`/outcomes/`) and their hypotheses, followed through their state machines."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import DECIDE, RAISE_DECISIONS, has_perm
from decisions import selectors
from decisions.forms import HypothesisForm, HypothesisStatusForm, OutcomeForm, OutcomeStatusForm
from decisions.machines import HYPOTHESIS, OUTCOME
from decisions.models import Hypothesis, Outcome
from decisions.services import outcomes as services
from decisions.views.common import form_page, post_action, save_form
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404


@org_required()
def outcome_list(request):
    rows = Outcome.objects.for_org(request.org).select_related("owner", "team").order_by("status", "-created_at")
    context = {"outcomes": rows, "can_raise": has_perm(request.user, RAISE_DECISIONS)}
    return render(request, "decisions/outcome_list.html", context)


@org_required(RAISE_DECISIONS)
def outcome_create(request):
    form = OutcomeForm(request.POST or None, org=request.org, initial={"owner": request.user.pk})

    def action(**fields):
        return services.create_outcome(actor=request.user, org=request.org, **fields)

    return save_form(request, form, action, success="Created the outcome “{obj}”.") or form_page(
        request, form, title="New outcome", back=reverse("decisions:outcomes"), submit="Create"
    )


@org_required(RAISE_DECISIONS)
def outcome_edit(request, pk: int):
    outcome = get_for_org_or_404(Outcome, request.org, pk=pk)
    form = OutcomeForm(request.POST or None, instance=outcome, org=request.org)

    def action(**fields):
        changes = {name: fields[name] for name in form.changed_data}
        return services.update_outcome(actor=request.user, outcome=outcome, **changes)

    return save_form(request, form, action, success="Saved “{obj}”.") or form_page(
        request, form, title=f"Edit “{outcome}”", back=outcome.get_absolute_url(), submit="Save"
    )


def _labelled(machine, status: str) -> list[tuple[str, str]]:
    return [(value, machine.choices(value).label) for value in machine.allowed(status)]


@org_required()
def outcome_detail(request, pk: int):
    outcome = get_for_org_or_404(
        Outcome.objects.select_related("owner", "team", "validated_by", "invalidated_by"), request.org, pk=pk
    )
    hypotheses, decisions = selectors.outcome_page(outcome)
    can_decide = has_perm(request.user, DECIDE)
    context = {
        "outcome": outcome,
        "hypotheses": [(h, _labelled(HYPOTHESIS, h.status) if can_decide else []) for h in hypotheses],
        "decisions": decisions,
        "moves": _labelled(OUTCOME, outcome.status) if can_decide else [],
        "can_raise": has_perm(request.user, RAISE_DECISIONS),
        "hypothesis_form": HypothesisForm(org=request.org, initial={"owner": request.user.pk}),
    }
    return render(request, "decisions/outcome_detail.html", context)


@require_POST
@org_required(DECIDE)
def outcome_status(request, pk: int):
    outcome = get_for_org_or_404(Outcome, request.org, pk=pk)

    def action(status, notes):
        services.transition_outcome(actor=request.user, outcome=outcome, status=status, notes=notes)

    return post_action(request, OutcomeStatusForm(request.POST), action, success=f"Updated “{outcome}”.",
                       back=outcome.get_absolute_url())  # fmt: skip


@org_required(RAISE_DECISIONS)
def hypothesis_create(request, pk: int):
    outcome = get_for_org_or_404(Outcome, request.org, pk=pk)
    form = HypothesisForm(request.POST or None, org=request.org, initial={"owner": request.user.pk})

    def action(**fields):
        return services.create_hypothesis(actor=request.user, outcome=outcome, **fields)

    return save_form(request, form, action, success="Added the hypothesis “{obj}”.") or form_page(
        request, form, title=f"New hypothesis for “{outcome}”", back=outcome.get_absolute_url(), submit="Add"
    )


@org_required(RAISE_DECISIONS)
def hypothesis_edit(request, pk: int):
    hypothesis = get_for_org_or_404(Hypothesis, request.org, pk=pk)
    form = HypothesisForm(request.POST or None, instance=hypothesis, org=request.org)

    def action(**fields):
        changes = {name: fields[name] for name in form.changed_data}
        return services.update_hypothesis(actor=request.user, hypothesis=hypothesis, **changes)

    return save_form(request, form, action, success="Saved “{obj}”.") or form_page(
        request, form, title=f"Edit “{hypothesis}”", back=hypothesis.get_absolute_url(), submit="Save"
    )


@require_POST
@org_required(DECIDE)
def hypothesis_status(request, pk: int):
    hypothesis = get_for_org_or_404(Hypothesis, request.org, pk=pk)

    def action(status, notes):
        services.transition_hypothesis(actor=request.user, hypothesis=hypothesis, status=status, notes=notes)

    return post_action(request, HypothesisStatusForm(request.POST), action, success=f"Updated “{hypothesis}”.",
                       back=hypothesis.get_absolute_url())  # fmt: skip
