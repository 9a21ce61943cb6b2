"""Evidence pages: upload, the evidence page (versions, history), downloads, the review queue and review page,
and the pre-score evaluation. Every object is looked up within the signed-in user's organisation (else 404)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import REVIEW_EVIDENCE, UPLOAD_EVIDENCE
from evidence import evaluation, selectors, services, storage
from evidence.forms import ClarifyForm, QueueFilterForm, ReviewForm
from evidence.inspection import INLINE
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project, Task
from projects.views.common import add_errors, safe_next


@require_POST
@org_required(UPLOAD_EVIDENCE)
def upload(request, pk: int):
    task = get_for_org_or_404(Task.objects.select_related("project"), request.org, pk=pk)
    replaces = None
    if request.POST.get("replaces"):
        replaces = get_for_org_or_404(selectors.visible(request.org), request.org, pk=request.POST["replaces"])
    back = safe_next(request, task.get_absolute_url() + "#evidence")
    oversized = getattr(request, "oversized_uploads", [])
    if oversized:  # cut short while reading: nothing of the upload was kept
        names = ", ".join(f"“{name}”" for name in oversized)
        limit = settings.EVIDENCE_MAX_UPLOAD_MB
        messages.error(request, f"Nothing was uploaded: {names} is larger than {limit} MB, the limit for evidence.")
        return redirect(back)
    try:
        rows = services.upload(
            actor=request.user, task=task, files=request.FILES.getlist("files"), note=request.POST.get("note", ""),
            replaces=replaces, change_summary=request.POST.get("change_summary", ""),
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, "Nothing was uploaded: " + " ".join(error.messages))
        return redirect(back)
    names = ", ".join(f"“{row.filename}”" for row in rows)
    what = f"version {rows[0].version} of" if replaces else "evidence:"
    messages.success(request, f"Uploaded {what} {names}; it waits for a reviewer.")
    return redirect(back)


@org_required()
def detail(request, pk: int):
    evidence = get_for_org_or_404(
        selectors.visible(request.org).select_related("task__project", "uploaded_by"), request.org, pk=pk
    )
    rows = selectors.versions(evidence)
    context = {
        "evidence": evidence,
        "versions": rows,
        "history": selectors.history(evidence, rows),
        "can_upload": selectors.can_upload(request.user, evidence.task) and evidence.is_current,
        "can_remove": selectors.can_remove(request.user, evidence),
        "can_review": selectors.can_review(request.user, evidence) and evidence.review_state == "pending",
        "clarify_form": ClarifyForm(),
        "last_review": evidence.reviews.exclude(decision="pending").select_related("reviewer").first(),
    }
    return render(request, "evidence/detail.html", context)


@org_required()
def download(request, pk: int):
    """After the tenancy check, a presigned URL valid for a few minutes: S3 serves the bytes."""
    evidence = get_for_org_or_404(selectors.visible(request.org), request.org, pk=pk)
    return redirect(storage.presigned_url(evidence, inline=request.GET.get("inline") == "1"))


@require_POST
@org_required(UPLOAD_EVIDENCE)
def clarify(request, pk: int):
    evidence = get_for_org_or_404(selectors.visible(request.org).select_related("task"), request.org, pk=pk)
    form = ClarifyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["answer"])
        services.answer_clarification(actor=request.user, evidence=evidence, answer=form.cleaned_data["answer"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your answer is sent; the evidence is back in the review queue.")
    return redirect(evidence.get_absolute_url())


@require_POST
@org_required()
def delete(request, pk: int):
    evidence = get_for_org_or_404(selectors.visible(request.org).select_related("task"), request.org, pk=pk)
    count = services.soft_delete(actor=request.user, evidence=evidence)
    messages.success(request, f"Deleted “{evidence.filename}” ({count} version(s)); an admin can restore it.")
    return redirect(evidence.task.get_absolute_url() + "#evidence")


@org_required(REVIEW_EVIDENCE)
def review_queue(request):
    projects = Project.objects.for_org(request.org).order_by("name").values_list("pk", "name")
    form = QueueFilterForm(request.GET or None, projects=projects)
    filters = form.cleaned_data if form.is_valid() else {}
    threshold = settings.EVIDENCE_AI_THRESHOLD
    rows = selectors.review_queue(request.org, {**filters, "threshold": threshold, "user_id": request.user.pk})
    page = Paginator(rows, selectors.QUEUE_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for item in page:
        item.age = selectors.age(item.review_state_at, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "threshold": threshold, "query": query.urlencode()}
    return render(request, "evidence/review_queue.html", context)


@org_required(REVIEW_EVIDENCE)
def review(request, pk: int):
    evidence = get_for_org_or_404(
        selectors.visible(request.org).select_related("task__project", "uploaded_by"), request.org, pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(actor=request.user, evidence=evidence, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Recorded: {form.cleaned_data['decision'].replace('_', ' ')} “{evidence}”.")
            return redirect("evidence:review_queue")
    context = {
        "evidence": evidence,
        "form": form,
        "inline": evidence.mime in INLINE,
        "inline_url": storage.presigned_url(evidence, inline=True) if evidence.mime in INLINE else "",
        "own": evidence.uploaded_by_id == request.user.pk,
        "threshold": settings.EVIDENCE_AI_THRESHOLD,
        "previous": evidence.previous,
    }
    return render(request, "evidence/review.html", context)


@org_required(REVIEW_EVIDENCE)
def evaluation_page(request):
    threshold = settings.EVIDENCE_AI_THRESHOLD
    context = {"rows": evaluation.agreement(request.org, threshold), "threshold": threshold}
    return render(request, "evidence/evaluation.html", context)
