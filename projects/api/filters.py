"""django-filter filters of the projects API's lists (ids outside the caller's organisation simply match nothing)."""

import django_filters as filters
from django.db import models
from django.db.models import Q

from pit.enums import ProjectType, QuickClass, TaskStatus
from projects import selectors
from projects.models import Deliverable, Milestone, Project, ProjectStatus, Task, TaskDependency


class IdFilterSet(filters.FilterSet):
    """Foreign keys filter by id without looking the row up: another organisation's id is no different from an
    unknown one (no 400 that would tell them apart), it just matches nothing."""

    class Meta:
        filter_overrides = {models.ForeignKey: {"filter_class": filters.NumberFilter}}


class ProjectFilter(IdFilterSet):
    q = filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    type = filters.ChoiceFilter(choices=ProjectType.choices)
    status = filters.ChoiceFilter(choices=ProjectStatus.choices)
    quick_class = filters.ChoiceFilter(choices=QuickClass.choices)

    class Meta(IdFilterSet.Meta):
        model = Project
        fields = ["q", "type", "status", "owner", "division", "quick_class"]


class MilestoneFilter(IdFilterSet):
    class Meta(IdFilterSet.Meta):
        model = Milestone
        fields = ["project", "owner"]


class DeliverableFilter(IdFilterSet):
    class Meta(IdFilterSet.Meta):
        model = Deliverable
        fields = ["project", "milestone", "owner"]


class TaskFilter(IdFilterSet):
    status = filters.MultipleChoiceFilter(choices=TaskStatus.choices)
    quick_class = filters.ChoiceFilter(choices=QuickClass.choices)
    assignee = filters.NumberFilter(method="filter_assignee", label="Assigned to (user id)")
    mine = filters.BooleanFilter(method="filter_mine", label="Owned by or assigned to me")
    ends_after = filters.DateFilter(field_name="end_date", lookup_expr="gte")
    ends_before = filters.DateFilter(field_name="end_date", lookup_expr="lte")

    class Meta(IdFilterSet.Meta):
        model = Task
        fields = ["project", "milestone", "deliverable", "owner", "status", "quick_class", "requires_evidence"]

    def filter_assignee(self, queryset, name, value):
        return queryset.filter(assignees__contains=[int(value)])

    def filter_mine(self, queryset, name, value):
        mine = selectors.owned_or_assigned(self.request.user)
        return queryset.filter(mine) if value else queryset.exclude(mine)


class DependencyFilter(IdFilterSet):
    task = filters.NumberFilter(method="filter_task", label="Either end is this task")

    class Meta(IdFilterSet.Meta):
        model = TaskDependency
        fields = ["project", "predecessor", "successor"]

    def filter_task(self, queryset, name, value):
        return queryset.filter(Q(predecessor=value) | Q(successor=value))
