"""The signed-in person's work: My work, the quick-win board, and one-click status and progress changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, has_perm
from pit.enums import QuickClass
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects import selectors, services
from projects.forms import TaskProgressForm, TaskStatusForm
from projects.models import Project, Task
from projects.views.common import add_errors, safe_next, wants_json


@org_required()
def my_work(request):
    today = request.org.today()
    context = {"groups": selectors.my_work(request.user, today), "today": today}
    return render(request, "projects/my_work.html", context)


def _task_for_update(request, pk: int) -> Task:
    task = get_for_org_or_404(Task.objects.select_related("project"), request.org, pk=pk)
    if not selectors.can_update_task(request.user, task):
        raise PermissionDenied("Only the task's owner, its assignees and planners can change it.")
    return task


def _answer(request, task: Task, form):
    """JSON for the enhanced page, a redirect with a message for the plain form."""
    if not form.errors:
        task.refresh_from_db()
        success = f"“{task}”: {task.get_status_display()}, {task.progress_percent} % done."
    if wants_json(request):
        if form.errors:
            return JsonResponse({"ok": False, "errors": form.errors}, status=400)
        return JsonResponse(
            {"ok": True, "message": success, "status": task.status, "status_label": task.get_status_display(),
             "progress_percent": task.progress_percent}
        )  # fmt: skip
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"“{task}”: " + (f"{label}: " if label else "") + " ".join(errors))
    else:
        messages.success(request, success)
    return redirect(safe_next(request, reverse("projects:task", args=[task.pk])))


def _update_task(request, pk: int, form_class, action):
    task = _task_for_update(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    return _answer(request, task, form)


@require_POST
@org_required()
def task_status(request, pk: int):
    return _update_task(request, pk, TaskStatusForm, services.set_task_status)


@require_POST
@org_required()
def task_progress(request, pk: int):
    return _update_task(request, pk, TaskProgressForm, services.set_task_progress)


@org_required()
def board(request):
    project = None
    if request.GET.get("project"):
        project = get_for_org_or_404(Project, request.org, pk=request.GET["project"])
    context = {
        "columns": selectors.board(request.org, project=project, user=request.user),
        "project": project,
        "projects": Project.objects.for_org(request.org).order_by("name").only("pk", "name"),
        "can_plan": has_perm(request.user, PLAN),
        "classes": QuickClass.choices,
    }
    return render(request, "projects/board.html", context)


@require_POST
@org_required(PLAN)  # the quick-win class is part of the plan
def board_move(request):
    back = redirect(safe_next(request, reverse("projects:board")))
    quick_class = request.POST.get("quick_class")
    if quick_class not in QuickClass.values:
        messages.error(request, "Choose quick win, medium term or long term.")
        return back
    model = Project if request.POST.get("kind") == "project" else Task
    obj = get_for_org_or_404(model, request.org, pk=request.POST.get("id"))
    try:
        services.update(actor=request.user, obj=obj, quick_class=quick_class)
    except ValidationError as error:
        messages.error(request, f"“{obj}” cannot move: {' '.join(error.messages)}")
        return back
    messages.success(request, f"Moved “{obj}” to {QuickClass(quick_class).label}.")
    return back
