"""Shapes of the projects API. Input serializers check types and that ids name rows of the caller's organisation;
the rules (dates inside the parent, evidence before completion, ...) are the services' and the models'."""

from rest_framework import serializers

from accounts.models import Division, User
from pit.api.fields import OrgRelatedField
from pit.enums import ProjectType, QuickClass, TaskStatus
from projects import selectors
from projects.forms import STATUS_CHOICES
from projects.models import Deliverable, Milestone, Project, Task, TaskDependency

MONEY = {"max_digits": 12, "decimal_places": 2}


def person(**kwargs):
    return OrgRelatedField(User, limit={"is_active": True, "is_system": False}, **kwargs)


# Output


class ProjectOut(serializers.ModelSerializer):
    owner_name = serializers.CharField(read_only=True, help_text="Annotated by the view's queryset.")

    class Meta:
        model = Project
        fields = ["id", "name", "description", "type", "owner", "owner_name", "division", "start_date", "end_date",
                  "quick_class", "progress_percent", "capex_total", "opex_total", "status", "created_at",
                  "updated_at"]  # fmt: skip


class MilestoneOut(serializers.ModelSerializer):
    owner_name = serializers.CharField(read_only=True, help_text="Annotated by the view's queryset.")

    class Meta:
        model = Milestone
        fields = ["id", "project", "name", "description", "owner", "owner_name", "start_date", "end_date",
                  "progress_percent", "capex_total", "opex_total", "order_index", "created_at",
                  "updated_at"]  # fmt: skip


class DeliverableOut(MilestoneOut):
    class Meta(MilestoneOut.Meta):
        model = Deliverable
        fields = ["id", "project", "milestone", *MilestoneOut.Meta.fields[2:]]


class TaskOut(serializers.ModelSerializer):
    owner_name = serializers.CharField(read_only=True, help_text="Annotated by the view's queryset.")
    can_update = serializers.SerializerMethodField(help_text="May the caller change its status and progress?")

    class Meta:
        model = Task
        fields = ["id", "project", "milestone", "deliverable", "name", "description", "task_type", "cluster", "owner",
                  "owner_name", "assignees", "status", "blocked_reason", "start_date", "end_date", "duration_days",
                  "progress_percent", "quick_class", "requires_evidence", "capex_cost", "opex_cost", "fy_allocation",
                  "order_index", "can_update", "created_at", "updated_at"]  # fmt: skip

    def get_can_update(self, task) -> bool:
        return selectors.can_update_task(self.context["request"].user, task)


class DependencyOut(serializers.ModelSerializer):
    class Meta:
        model = TaskDependency
        fields = ["id", "project", "predecessor", "successor", "type", "lag_days", "created_at", "updated_at"]


# Input


class ProjectIn(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    type = serializers.ChoiceField(choices=ProjectType.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = person(required=False, help_text="Default: you.")
    division = OrgRelatedField(Division, required=False, allow_null=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    quick_class = serializers.ChoiceField(choices=QuickClass.choices, required=False)


class MilestoneIn(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = person(required=False, help_text="Default: you.")
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class MilestoneCreateIn(MilestoneIn):
    project = OrgRelatedField(Project)


class DeliverableCreateIn(MilestoneIn):
    milestone = OrgRelatedField(Milestone)


class TaskIn(MilestoneIn):
    assignees = serializers.ListField(child=person(), required=False, help_text="Ids of people who work on it.")
    capex_cost = serializers.DecimalField(**MONEY, required=False)
    opex_cost = serializers.DecimalField(**MONEY, required=False)
    quick_class = serializers.ChoiceField(choices=QuickClass.choices, required=False)
    requires_evidence = serializers.BooleanField(required=False)

    def validate_assignees(self, people) -> list[int]:
        return sorted({user.pk for user in people})  # stored as the document's JSONB array of ids


class TaskCreateIn(TaskIn):
    deliverable = OrgRelatedField(Deliverable)


class TaskStatusIn(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES,
        help_text="completed, blocked (with a reason) or open (the status follows the dates again).",
    )
    blocked_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TaskProgressIn(serializers.Serializer):
    progress_percent = serializers.IntegerField(min_value=0, max_value=100)


class DependencyIn(serializers.Serializer):
    predecessor = OrgRelatedField(Task)
    successor = OrgRelatedField(Task)
    lag_days = serializers.IntegerField(required=False, default=0, help_text="Working days; negative to overlap.")


# My work and the timeline


class MyWorkTaskOut(TaskOut):
    status = serializers.CharField(source="live_status", help_text="As of today (not waiting for the nightly run).")
    project_name = serializers.CharField(source="project.name")
    deliverable_name = serializers.CharField(source="deliverable.name")

    class Meta(TaskOut.Meta):  # no owner name: the person asking owns or works on each of these tasks
        fields = [f for f in TaskOut.Meta.fields if f != "owner_name"] + ["project_name", "deliverable_name"]


class MyWorkGroupOut(serializers.Serializer):
    key = serializers.ChoiceField(choices=[key for key, _, _ in selectors.MY_WORK_GROUPS])
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="All of the group's tasks; `tasks` holds the first by end date.")
    tasks = MyWorkTaskOut(many=True)


class MyWorkOut(serializers.Serializer):
    today = serializers.DateField()
    groups = MyWorkGroupOut(many=True)


class LateStartOut(serializers.Serializer):
    predecessor = serializers.IntegerField()
    earliest_start = serializers.DateField()


class BarOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.IntegerField()
    owner_name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    progress_percent = serializers.IntegerField()


class TimelineDeliverableOut(BarOut):
    milestone = serializers.IntegerField()


class TimelineTaskOut(TimelineDeliverableOut):
    deliverable = serializers.IntegerField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    critical = serializers.BooleanField(help_text="On the critical path: a delay moves the project's end.")
    late_starts = LateStartOut(many=True, help_text="Dependencies this task's start breaks.")


class TimelineLinkOut(serializers.Serializer):
    predecessor = serializers.IntegerField()
    successor = serializers.IntegerField()
    lag_days = serializers.IntegerField()


class TimelineOut(serializers.Serializer):
    project = ProjectOut()
    version = serializers.IntegerField(help_text="The plan's timeline version: it changes with every move.")
    milestones = BarOut(many=True)
    deliverables = TimelineDeliverableOut(many=True)
    tasks = TimelineTaskOut(many=True, help_text="In tree order.")
    dependencies = TimelineLinkOut(many=True)
    critical_path = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the critical tasks.")
