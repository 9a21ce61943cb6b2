"""The decision log (`/decisions/`), a decision's page and its actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import DECIDE, RAISE_DECISIONS, has_perm
from decisions import escalation, selectors
from decisions.enums import OPEN, DecisionStatus
from decisions.forms import (
    AssignForm,
    CommentEditForm,
    CommentForm,
    DecideForm,
    DecisionFilterForm,
    DecisionForm,
    ReasonForm,
    StatusForm,
)
from decisions.machines import DECISION
from decisions.models import Decision, DecisionComment
from decisions.models.decision import MAX_ESCALATION
from decisions.services import comments
from decisions.services import decision as services
from decisions.views.common import form_page, post_action
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.views.common import add_errors

PAGE_SIZE = 50
# Status moves offered as buttons (deciding and deferring have their own forms).
SIMPLE_MOVES = (DecisionStatus.UNDER_DISCUSSION, DecisionStatus.NEEDS_INPUT, DecisionStatus.IMPLEMENTED,
                DecisionStatus.CANCELLED)  # fmt: skip


@org_required()
def decision_list(request):
    form = DecisionFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    decisions = selectors.decision_list(request.org, filters, now=now)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    for key in ("page", "sort"):
        query.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "sort": filters.get("sort") or "due",
        "filtered": any(v for k, v in filters.items() if k != "sort"),
        "now": now,
        "can_raise": has_perm(request.user, RAISE_DECISIONS),
    }
    return render(request, "decisions/decision_list.html", context)


@org_required(RAISE_DECISIONS)
def decision_create(request):
    initial = {"owner": request.user.pk, "project": request.GET.get("project")}
    form = DecisionForm(request.POST or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.create_decision(actor=request.user, org=request.org, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Raised the decision “{decision}”, due {decision.due_at:%d %b %Y %H:%M} UTC.")
            return redirect(decision)
    return _decision_form(request, form, title="New decision", back=reverse("decisions:list"), submit="Raise decision")


def _decision_form(request, form, **context):
    return render(request, "decisions/decision_form.html", {"form": form, **context})


def _can_edit(user, decision) -> bool:
    return has_perm(user, DECIDE) or (has_perm(user, RAISE_DECISIONS) and decision.owner_id == user.pk)


@org_required(RAISE_DECISIONS)
def decision_edit(request, pk: int):
    decision = get_for_org_or_404(Decision, request.org, pk=pk)
    if not _can_edit(request.user, decision):
        raise PermissionDenied("Only the decision's owner and deciders can edit it.")
    form = DecisionForm(request.POST or None, org=request.org, editing=True, initial=DecisionForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {k: v for k, v in data.items() if k != "blocked_tasks" and (k in form.changed_data or k == "options")}
        try:
            decision = services.update_decision(actor=request.user, decision=decision,
                                                blocked_tasks=data["blocked_tasks"], **changes)  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Saved “{decision}”.")
            return redirect(decision)
    return _decision_form(request, form, title=f"Edit “{decision}”", back=decision.get_absolute_url(), submit="Save")


def _replying_to(request, decision):
    """`?reply=<comment id>`: the comment form answers that comment (one form on the page, not one per thread)."""
    number = request.GET.get("reply", "")
    if not number.isdigit():
        return None
    return decision.comments.select_related("author").filter(pk=int(number)).first()


def _reply_initial(comment) -> dict:
    return {"parent": comment.pk, "option_id": comment.option_id} if comment else {}


@org_required()
def decision_detail(request, pk: int):
    related = ("owner", "assigned_to", "escalated_to", "decided_by", "team", "stakeholder", "outcome", "hypothesis",
               "project", "milestone", "deliverable", "task")  # fmt: skip
    decision = get_for_org_or_404(Decision.objects.select_related(*related), request.org, pk=pk)
    can_decide = has_perm(request.user, DECIDE)
    replying_to = _replying_to(request, decision)
    context = {
        "decision": decision,
        "view": selectors.decision_page(decision),
        "can_raise": has_perm(request.user, RAISE_DECISIONS),
        "can_decide": can_decide,
        "can_edit": _can_edit(request.user, decision),
        "overdue": decision.status in OPEN and decision.due_at < timezone.now(),
        "moves": [m for m in DECISION.allowed(decision.status) if m in SIMPLE_MOVES] if can_decide else [],
        "can_defer": can_decide and DECISION.can(decision.status, DecisionStatus.DEFERRED),
        "can_resolve": can_decide and DECISION.can(decision.status, DecisionStatus.DECIDED),
        "can_escalate": can_decide and decision.status in OPEN and decision.escalation_level < MAX_ESCALATION,
        "decide_form": DecideForm(decision=decision),
        "comment_form": CommentForm(decision=decision, initial=_reply_initial(replying_to)),
        "replying_to": replying_to,
        "assign_form": AssignForm(org=request.org, initial={"assignee": decision.assigned_to_id}),
    }
    return render(request, "decisions/decision_detail.html", context)


def _decision_for(request, pk: int) -> Decision:
    """The decision an action is on (the view's decorator has checked the role)."""
    return get_for_org_or_404(Decision, request.org, pk=pk)


def _done(request, decision, form, action, success: str):
    return post_action(request, form, action, success=success, back=decision.get_absolute_url())


@require_POST
@org_required(DECIDE)
def decide(request, pk: int):
    decision = _decision_for(request, pk)
    form = DecideForm(request.POST, decision=decision)

    def action(option_id, rationale):
        services.decide(actor=request.user, decision=decision, option_id=option_id, rationale=rationale)

    freed = decision.blocked_links.count()
    tasks = f"; the {freed} task{'s' if freed > 1 else ''} it blocked can be completed" if freed else ""
    return _done(request, decision, form, action, f"Decided “{decision}”{tasks}.")


@require_POST
@org_required(DECIDE)
def defer(request, pk: int):
    decision = _decision_for(request, pk)

    def action(reason):
        services.defer(actor=request.user, decision=decision, reason=reason)

    return _done(request, decision, ReasonForm(request.POST), action, f"Deferred “{decision}”.")


@require_POST
@org_required(DECIDE)
def escalate(request, pk: int):
    decision = _decision_for(request, pk)

    def action(reason):
        escalation.escalate(actor=request.user, decision=decision, reason=reason)

    return _done(request, decision, ReasonForm(request.POST), action, f"Escalated “{decision}”.")


@require_POST
@org_required(DECIDE)
def change_status(request, pk: int):
    decision = _decision_for(request, pk)

    def action(status, reason):
        services.transition(actor=request.user, decision=decision, status=status, reason=reason)

    return _done(request, decision, StatusForm(request.POST), action, f"Updated the status of “{decision}”.")


@require_POST
@org_required(RAISE_DECISIONS)
def assign(request, pk: int):
    decision = _decision_for(request, pk)
    if not _can_edit(request.user, decision):
        raise PermissionDenied("Only the decision's owner and deciders can reassign it.")

    def action(assignee):
        services.assign(actor=request.user, decision=decision, assignee=assignee)

    return _done(request, decision, AssignForm(request.POST, org=request.org), action, "Reassigned; they are told.")


@require_POST
@org_required(RAISE_DECISIONS)
def comment(request, pk: int):
    decision = _decision_for(request, pk)
    form = CommentForm(request.POST, decision=decision)

    def action(content, option_id, parent):
        reply_to = get_for_org_or_404(DecisionComment, request.org, pk=parent, decision=decision) if parent else None
        comments.add_comment(actor=request.user, decision=decision, content=content, parent=reply_to,
                             option_id=option_id)  # fmt: skip

    return _done(request, decision, form, action, "Comment added.")


@org_required(RAISE_DECISIONS)
def comment_edit(request, pk: int):
    item = get_for_org_or_404(DecisionComment.objects.select_related("decision"), request.org, pk=pk)
    if item.author_id != request.user.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    form = CommentEditForm(request.POST or None, initial={"content": item.content})
    if request.method == "POST" and form.is_valid():
        try:
            comments.edit_comment(actor=request.user, comment=item, content=form.cleaned_data["content"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Comment saved.")
            return redirect(item.get_absolute_url())
    back = item.get_absolute_url()
    return form_page(request, form, title="Edit your comment", back=back, submit="Save")
