"""Projects, milestones, deliverables and tasks: their pages, and create / edit / delete / restore / reorder."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, has_perm
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects import clusters, dependencies, selectors, services
from projects.forms import (
    ClusterForm,
    DeliverableForm,
    DependencyForm,
    MilestoneForm,
    ProjectForm,
    TaskForm,
    TaskProgressForm,
    TaskStatusForm,
)
from projects.models import Deliverable, Milestone, Project, Task
from projects.status import SET_BY_PEOPLE
from projects.views.common import add_errors


@dataclass(frozen=True)
class Level:
    model: type
    form: type
    parent_field: str | None
    create: object

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    @property
    def parent_model(self):
        return self.model._meta.get_field(self.parent_field).related_model if self.parent_field else None


LEVELS = {
    "project": Level(Project, ProjectForm, None, lambda actor, org, parent, **f: services.create_project(
        actor=actor, org=org, **f)),
    "milestone": Level(Milestone, MilestoneForm, "project", lambda actor, org, parent, **f: services.create_milestone(
        actor=actor, project=parent, **f)),
    "deliverable": Level(Deliverable, DeliverableForm, "milestone", lambda actor, org, parent, **f:
                         services.create_deliverable(actor=actor, milestone=parent, **f)),
    "task": Level(Task, TaskForm, "deliverable", lambda actor, org, parent, **f: services.create_task(
        actor=actor, deliverable=parent, **f)),
}  # fmt: skip


def page_of(obj) -> str:
    """Where a row is shown: its own page, or (milestones) its project's page at its anchor."""
    if isinstance(obj, Milestone):
        return reverse("projects:project", args=[obj.project_id]) + f"#milestone-{obj.pk}"
    return reverse(f"projects:{obj._meta.model_name}", args=[obj.pk])


def parent_page(obj) -> str:
    if isinstance(obj, Project):
        return reverse("projects:list")
    if isinstance(obj, Task):
        return reverse("projects:deliverable", args=[obj.deliverable_id])
    return reverse("projects:project", args=[obj.project_id])


def _new_instance(level: Level, org, parent):
    if parent is None:
        return Project(org=org)
    instance = level.model(**{level.parent_field: parent})
    if isinstance(instance, Deliverable):
        instance.align_to_milestone()
    elif isinstance(instance, Task):
        instance.align_to_deliverable()
    return instance


def status_choice(task) -> str:
    return task.status if task.status in SET_BY_PEOPLE else services.REOPEN


def _form_page(request, form, *, title: str, back: str, submit: str):
    return render(request, "projects/form.html", {"form": form, "title": title, "back": back, "submit": submit})


@org_required(PLAN)
def create(request, level: str, parent_pk: int | None = None):
    level = LEVELS[level]
    parent = get_for_org_or_404(level.parent_model, request.org, pk=parent_pk) if level.parent_field else None
    instance = _new_instance(level, request.org, parent)
    initial = {"owner": request.user.pk}
    if parent is not None:
        initial |= {"start_date": parent.start_date, "end_date": parent.end_date}
    form = level.form(request.POST or None, instance=instance, initial=initial, org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            obj = level.create(request.user, request.org, parent, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Created {level.model._meta.verbose_name} “{obj}”.")
            return redirect(page_of(obj))
    title = f"New {level.model._meta.verbose_name}" + (f" in “{parent}”" if parent else "")
    back = page_of(parent) if parent else reverse("projects:list")
    return _form_page(request, form, title=title, back=back, submit="Create")


@org_required(PLAN)
def edit(request, level: str, pk: int):
    level = LEVELS[level]
    obj = get_for_org_or_404(level.model, request.org, pk=pk)
    form = level.form(request.POST or None, instance=obj, org=request.org)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.update(actor=request.user, obj=obj, **{f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Saved “{obj}”.")
            return redirect(page_of(obj))
    return _form_page(request, form, title=f"Edit “{obj}”", back=page_of(obj), submit="Save")


@require_POST
@org_required(PLAN)
def delete(request, level: str, pk: int):
    obj = get_for_org_or_404(LEVELS[level].model, request.org, pk=pk)
    cascade = services.soft_delete(actor=request.user, obj=obj)
    under = sum(cascade.values()) - cascade.get("evidence", 0)
    messages.success(request, f"Deleted “{obj}”" + (f" and {under} item(s) under it" if under else "") + ".")
    return redirect(parent_page(obj))


@require_POST
@org_required(PLAN)
def restore(request, level: str, pk: int):
    model = LEVELS[level].model
    obj = get_for_org_or_404(model.all_objects.filter(deleted_at__isnull=False), request.org, pk=pk)
    try:
        services.restore(actor=request.user, obj=obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(parent_page(obj) if not isinstance(obj, Project) else reverse("projects:list") + "?deleted=1")
    messages.success(request, f"Restored “{obj}” with everything deleted with it.")
    return redirect(page_of(obj))


@require_POST
@org_required(PLAN)
def move(request, level: str, pk: int):
    obj = get_for_org_or_404(LEVELS[level].model, request.org, pk=pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if offset is None:
        messages.error(request, "Choose to move it up or down.")
    else:
        services.move(actor=request.user, obj=obj, offset=offset)
    return redirect(parent_page(obj) + f"#{obj._meta.model_name}-{obj.pk}")


@org_required()
def project_detail(request, pk: int):
    project = get_for_org_or_404(Project.objects.select_related("owner", "division"), request.org, pk=pk)
    context = {
        "project": project,
        "tree": selectors.project_tree(project),
        "deleted": selectors.deleted_children(project) if has_perm(request.user, PLAN) else [],
        "can_plan": has_perm(request.user, PLAN),
    }
    return render(request, "projects/project_detail.html", context)


@org_required()
def deliverable_task_rows(request, pk: int):
    """A deliverable's task table for the project page, which fetches it when a large project's deliverable is
    opened (static/js/tree-tasks.js)."""
    deliverable = get_for_org_or_404(Deliverable, request.org, pk=pk)
    tasks = selectors.deliverable_task_rows(deliverable)
    return render(request, "projects/_task_table.html", {"tasks": tasks})


@org_required()
def deliverable_detail(request, pk: int):
    deliverable = get_for_org_or_404(
        Deliverable.objects.select_related("project", "milestone", "owner"), request.org, pk=pk
    )
    can_plan = has_perm(request.user, PLAN)
    form = ClusterForm(request.POST or None, org=request.org, initial={"start_date": deliverable.start_date})
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied("Your role does not allow planning.")
        if form.is_valid():
            try:
                cluster = clusters.instantiate(actor=request.user, deliverable=deliverable, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"Added the task cluster “{cluster}” with {cluster.tasks.count()} task(s).")
                return redirect(page_of(deliverable))
    tasks = deliverable.tasks.select_related("owner").order_by("order_index", "start_date", "pk")
    context = {"deliverable": deliverable, "tasks": tasks, "cluster_form": form, "can_plan": can_plan}
    return render(request, "projects/deliverable_detail.html", context)


@org_required()
def task_detail(request, pk: int):
    task = get_for_org_or_404(
        Task.objects.select_related("project", "milestone", "deliverable", "owner", "cluster"), request.org, pk=pk
    )
    context = {
        "task": task,
        "can_plan": has_perm(request.user, PLAN),
        "can_update": selectors.can_update_task(request.user, task),
        "status_form": TaskStatusForm(initial={"status": status_choice(task), "blocked_reason": task.blocked_reason}),
        "progress_form": TaskProgressForm(initial={"progress_percent": task.progress_percent}),
        "assignees": selectors.people_named(request.org, task.assignees),
        "evidence_ok": services.has_accepted_evidence(task) if task.requires_evidence else None,
        "predecessors": dependencies.predecessors_of(task),
        "late_starts": dependencies.late_starts(task),
        "dependency_form": DependencyForm(task=task),
    }
    return render(request, "projects/task_detail.html", context)
