"""The projects domain over the API. Reads for every role; plan changes for planners (PLAN); status and progress for
a task's owner, assignees and planners; another organisation's rows are 404s. Every write is a service call."""

from django.db.models import F
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.permissions import PLAN
from pit.api.views import ApiView, ApiViewSet
from pit.models import AuditLog
from projects import dependencies, selectors, services
from projects.api import filters, serializers
from projects.gantt import plan
from projects.models import Deliverable, Milestone, Project, Task, TaskDependency

OWNER_NAME = F("owner__name")  # a join column, cheaper than a User object per row
ORDERING = ["id", "updated_at", "name", "start_date", "end_date", "progress_percent"]


class PlanViewSet(ApiViewSet):
    """What the four levels share: writes lock the project first (the services' lock order)."""

    ordering_fields = ORDERING
    ordering = ["id"]
    update_input = None

    def lock(self, obj):
        project = Project.all_objects.select_for_update().filter(pk=services.project_id_of(obj))
        list(project.values_list("pk", flat=True))
        return super().lock(obj)

    def partial_update(self, request, *args, **kwargs):
        self.require(PLAN)
        obj = self.object_for_write()
        services.update(actor=request.user, obj=obj, **self.validated(self.update_input, partial=True))
        return self.respond(obj)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        """Delete it and everything under it (planners can restore it in the browser)."""
        self.require(PLAN)
        services.soft_delete(actor=request.user, obj=self.object_for_write())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def create_with(self, input_class, create, **parent):
        self.require(PLAN)
        data = self.validated(input_class)
        data.setdefault("owner", self.request.user)
        return self.respond(create(actor=self.request.user, **parent, **data), status_code=status.HTTP_201_CREATED)


def writes(create_input, update_input, out):
    """The schema of a level's create and change (their input and output serializers differ)."""
    return extend_schema_view(
        create=extend_schema(request=create_input, responses={201: out}),
        partial_update=extend_schema(request=update_input, responses=out),
    )


@writes(serializers.ProjectIn, serializers.ProjectIn, serializers.ProjectOut)
class ProjectViewSet(PlanViewSet):
    serializer_class = serializers.ProjectOut
    filterset_class = filters.ProjectFilter
    ordering_fields = [*ORDERING, "status"]
    update_input = serializers.ProjectIn

    def get_queryset(self):
        return Project.objects.for_org(self.org).annotate(owner_name=OWNER_NAME)

    def create(self, request):
        return self.create_with(serializers.ProjectIn, services.create_project, org=self.org)

    @extend_schema(responses=serializers.TimelineOut, parameters=[])
    @action(detail=True, filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        """The project's plan as bars (milestones, deliverables, tasks in tree order), dependencies and the
        critical path: what the app needs to draw its own Gantt."""
        project = self.get_object()
        # plan.timeline is already TimelineOut's JSON (checked by a test): serializing 20,000 bars field by field
        # through DRF would cost more than building them
        return self.conditional({**plan.timeline(project), "project": serializers.ProjectOut(project).data})


@writes(serializers.MilestoneCreateIn, serializers.MilestoneIn, serializers.MilestoneOut)
class MilestoneViewSet(PlanViewSet):
    serializer_class = serializers.MilestoneOut
    filterset_class = filters.MilestoneFilter
    ordering_fields = [*ORDERING, "order_index"]
    update_input = serializers.MilestoneIn

    def get_queryset(self):
        return Milestone.objects.for_org(self.org).annotate(owner_name=OWNER_NAME)

    def create(self, request):
        return self.create_with(serializers.MilestoneCreateIn, services.create_milestone)


@writes(serializers.DeliverableCreateIn, serializers.MilestoneIn, serializers.DeliverableOut)
class DeliverableViewSet(PlanViewSet):
    serializer_class = serializers.DeliverableOut
    filterset_class = filters.DeliverableFilter
    ordering_fields = [*ORDERING, "order_index"]
    update_input = serializers.MilestoneIn

    def get_queryset(self):
        return Deliverable.objects.for_org(self.org).annotate(owner_name=OWNER_NAME)

    def create(self, request):
        return self.create_with(serializers.DeliverableCreateIn, services.create_deliverable)


@writes(serializers.TaskCreateIn, serializers.TaskIn, serializers.TaskOut)
class TaskViewSet(PlanViewSet):
    serializer_class = serializers.TaskOut
    filterset_class = filters.TaskFilter
    ordering_fields = [*ORDERING, "order_index", "status"]
    update_input = serializers.TaskIn

    def get_queryset(self):
        return Task.objects.for_org(self.org).annotate(owner_name=OWNER_NAME)

    def create(self, request):
        return self.create_with(serializers.TaskCreateIn, services.create_task)

    def own_task_for_write(self):
        task = self.object_for_write()
        if not selectors.can_update_task(self.request.user, task):
            raise PermissionDenied("Only the task's owner, its assignees and planners can change it.")
        return task

    @extend_schema(request=serializers.TaskStatusIn, responses=serializers.TaskOut)
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def set_status(self, request, pk=None):
        """Mark it completed, blocked (with a reason) or open again (its status follows the dates)."""
        task = self.own_task_for_write()
        services.set_task_status(actor=request.user, task=task, **self.validated(serializers.TaskStatusIn))
        return self.respond(task)

    @extend_schema(request=serializers.TaskProgressIn, responses=serializers.TaskOut)
    @action(detail=True, methods=["post"], url_path="progress", filter_backends=[])
    def set_progress(self, request, pk=None):
        """Set its progress (100 completes it; lowering a completed task's progress reopens it)."""
        task = self.own_task_for_write()
        services.set_task_progress(actor=request.user, task=task, **self.validated(serializers.TaskProgressIn))
        return self.respond(task)


class DependencyViewSet(ApiViewSet):
    """Finish-to-start links between tasks of one project. Removing one deletes it: its tombstone comes from the
    audit log."""

    serializer_class = serializers.DependencyOut
    filterset_class = filters.DependencyFilter
    ordering_fields = ["updated_at", "created_at"]
    ordering = ["id"]

    def get_queryset(self):
        return TaskDependency.objects.for_org(self.org)

    def tombstones(self, since) -> list[dict]:
        removed = AuditLog.objects.filter(
            org=self.org, table_name=TaskDependency._meta.db_table, action="DELETE", created_at__gte=since
        )
        rows = removed.order_by("created_at").values_list("record_id", "created_at")
        return [{"id": int(record_id), "deleted_at": at} for record_id, at in rows]

    def lock(self, obj):
        list(Project.all_objects.select_for_update().filter(pk=obj.project_id).values_list("pk", flat=True))
        return super().lock(obj)

    @extend_schema(request=serializers.DependencyIn, responses={201: serializers.DependencyOut})
    def create(self, request):
        self.require(PLAN)
        dependency = dependencies.add_dependency(actor=request.user, **self.validated(serializers.DependencyIn))
        return self.respond(dependency, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        self.require(PLAN)
        dependencies.remove_dependency(actor=request.user, dependency=self.object_for_write())
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyWorkView(ApiView):
    """Your open tasks (owner or assignee) in My work's groups: overdue, due today, active, upcoming, blocked."""

    @extend_schema(responses=serializers.MyWorkOut)
    def get(self, request):
        today = self.org.today()
        groups = selectors.my_work(request.user, today)
        return self.conditional(
            serializers.MyWorkOut({"today": today, "groups": groups}, context={"request": request}).data
        )
