from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from pit.admin import OrgScopedAdmin, ReadOnlyAdmin
from projects import dependencies, rollups, services
from projects.cluster_schema import TEMPLATE_HELP
from projects.models import (
    ApprovedBudget,
    Deliverable,
    GanttState,
    IsmsLink,
    Milestone,
    Project,
    ProjectBudget,
    RiskLink,
    SkillsCredit,
    Task,
    TaskCluster,
    TaskClusterTemplate,
    TaskDependency,
    TimelineCache,
)

PARENT_FIELD = {Deliverable: "milestone", Task: "deliverable"}


class DeletedFilter(admin.SimpleListFilter):
    title = "rows"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", "Deleted")]

    def choices(self, changelist):
        for value, label in ((None, "Live"), ("yes", "Deleted")):
            params = {self.parameter_name: value} if value else {}
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string(params, [] if value else [self.parameter_name]),
                "display": label,
            }

    def queryset(self, request, queryset):
        return queryset.filter(deleted_at__isnull=self.value() != "yes")


class AlignedForm(forms.ModelForm):
    """A child takes its project/milestone from its parent before validation, and a task gets the status rules, as
    the services do."""

    def clean(self):
        data = super().clean()
        parent_field = PARENT_FIELD.get(self._meta.model)
        if parent_field and data.get(parent_field):
            setattr(self.instance, parent_field, data[parent_field])
            if isinstance(self.instance, Deliverable):
                self.instance.align_to_milestone()
            else:
                self.instance.align_to_deliverable()
        return data

    def _post_clean(self):
        super()._post_clean()
        if isinstance(self.instance, Task) and self.instance.deliverable_id and not self.errors:
            try:
                services.fill_task_derived(
                    self.instance,
                    was_status=self.initial.get("status"),
                    was_progress=self.initial.get("progress_percent"),
                )
            except ValidationError as error:
                self.add_error(None, error)


class SoftDeleteAdmin(OrgScopedAdmin, SimpleHistoryAdmin):
    """Shows deleted rows on request, deletes softly (with the subtree) and restores through the services."""

    form = AlignedForm
    actions = ["soft_delete_selected", "restore_selected"]

    def get_queryset(self, request):
        queryset = self.model.all_objects.get_queryset()
        ordering = self.get_ordering(request)
        return self.scope(request, queryset.order_by(*ordering) if ordering else queryset)

    def get_list_filter(self, request):
        return [DeletedFilter, *super().get_list_filter(request)]

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # rows are never hard-deleted from the admin
        return actions

    def save_model(self, request, obj, form, change):
        """Saved like a service write: under the lock of its project (and of the one it left), roll-ups recomputed."""
        before = services.project_id_of(type(obj).all_objects.get(pk=obj.pk)) if change else None
        with transaction.atomic(), services.settling(services.project_id_of(obj), before):
            super().save_model(request, obj, form, change)
            if not change and isinstance(obj, Project):
                rollups.recompute([obj.pk])

    def delete_model(self, request, obj):
        services.soft_delete(actor=request.user, obj=obj)

    def _each(self, request, queryset, action, verb: str) -> None:
        done = 0
        for obj in queryset:
            try:
                action(actor=request.user, obj=obj)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"{verb} {done} row(s), with everything under them.", messages.SUCCESS)

    @admin.action(description="Delete selected (soft, with everything under them)")
    def soft_delete_selected(self, request, queryset):
        self._each(request, queryset, services.soft_delete, "Deleted")

    @admin.action(description="Restore selected")
    def restore_selected(self, request, queryset):
        self._each(request, queryset, services.restore, "Restored")


class ChildSummaryInline(admin.TabularInline):
    """Read-only rows of the next level down with a link to each: constant queries however many there are."""

    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = ["name", "owner", "start_date", "end_date", "progress_percent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")

    def has_add_permission(self, request, obj=None):
        return False


class MilestoneInline(ChildSummaryInline):
    model = Milestone


class DeliverableInline(ChildSummaryInline):
    model = Deliverable


class TaskInline(ChildSummaryInline):
    model = Task
    fields = readonly_fields = ["name", "owner", "status", "start_date", "end_date", "progress_percent"]


@admin.register(Project)
class ProjectAdmin(SoftDeleteAdmin):
    list_display = ["name", "type", "owner", "start_date", "end_date", "progress_percent", "status", "org"]
    list_filter = ["type", "status", "quick_class", "org"]
    search_fields = ["name"]
    autocomplete_fields = ["org", "division", "owner"]
    list_select_related = ["owner", "org"]
    readonly_fields = ["progress_percent", "capex_total", "opex_total", "status", "deleted_at"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(SoftDeleteAdmin):
    list_display = ["name", "project", "owner", "start_date", "end_date", "progress_percent", "order_index"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "owner"]
    list_select_related = ["project", "owner"]
    readonly_fields = ["progress_percent", "capex_total", "opex_total", "deleted_at"]
    inlines = [DeliverableInline]


@admin.register(Deliverable)
class DeliverableAdmin(SoftDeleteAdmin):
    list_display = ["name", "milestone", "project", "owner", "start_date", "end_date", "progress_percent"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["milestone", "owner"]
    list_select_related = ["milestone", "project", "owner"]
    exclude = ["project"]
    readonly_fields = ["progress_percent", "capex_total", "opex_total", "deleted_at"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(SoftDeleteAdmin):
    list_display = ["name", "project", "deliverable", "owner", "status", "start_date", "end_date", "progress_percent"]
    list_filter = ["status", "quick_class", "requires_evidence", "task_type"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["deliverable", "owner", "cluster"]
    list_select_related = ["project", "deliverable", "owner"]
    exclude = ["milestone", "project"]
    readonly_fields = ["duration_days", "fy_allocation", "deleted_at"]


class TaskClusterTemplateForm(forms.ModelForm):
    class Meta:
        model = TaskClusterTemplate
        fields = ["org", "name", "description", "template_json"]
        help_texts = {"template_json": TEMPLATE_HELP}


@admin.register(TaskDependency)
class TaskDependencyAdmin(OrgScopedAdmin):
    """Added on the task page, where loops and cross-project links are refused; here they are listed and removed."""

    list_display = ["successor", "predecessor", "type", "lag_days", "project"]
    search_fields = ["successor__name", "predecessor__name", "project__name"]
    list_select_related = ["successor", "predecessor", "project"]
    readonly_fields = ["project", "predecessor", "successor", "type", "lag_days"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        dependencies.remove_dependency(actor=request.user, dependency=obj)


@admin.register(ProjectBudget)
class ProjectBudgetAdmin(ReadOnlyAdmin):
    """Written by the roll-ups only; here to be looked at."""

    list_display = ["project", "financial_year", "capex_total", "opex_total"]
    list_filter = ["financial_year"]
    search_fields = ["project__name"]
    list_select_related = ["project"]


@admin.register(ApprovedBudget)
class ApprovedBudgetAdmin(OrgScopedAdmin):
    """The budget each financial year is held to (the watchdog's BUDGET_OVER compares the plan with it)."""

    list_display = ["project", "financial_year", "capex_approved", "opex_approved"]
    list_filter = ["financial_year"]
    search_fields = ["project__name"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


@admin.register(TaskClusterTemplate)
class TaskClusterTemplateAdmin(OrgScopedAdmin):
    form = TaskClusterTemplateForm
    list_display = ["name", "org", "updated_at"]
    search_fields = ["name"]
    autocomplete_fields = ["org"]
    list_select_related = ["org"]


@admin.register(TaskCluster)
class TaskClusterAdmin(OrgScopedAdmin):
    list_display = ["name", "project", "template", "created_by", "created_at"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "template", "created_by"]
    list_select_related = ["project", "template", "created_by"]


@admin.register(TimelineCache)
class TimelineCacheAdmin(OrgScopedAdmin):
    list_display = ["project", "zoom_level", "updated_at"]
    list_select_related = ["project"]
    readonly_fields = ["project", "zoom_level", "data"]

    def has_add_permission(self, request):
        return False  # built by the timeline engine, never by hand


@admin.register(GanttState)
class GanttStateAdmin(OrgScopedAdmin):
    list_display = ["user", "project", "zoom_level", "viewport_start", "viewport_end"]
    autocomplete_fields = ["user", "project"]
    list_select_related = ["user", "project"]


class TaskLinkAdmin(OrgScopedAdmin):
    autocomplete_fields = ["task"]
    list_select_related = ["task"]
    search_fields = ["task__name"]


@admin.register(IsmsLink)
class IsmsLinkAdmin(TaskLinkAdmin):
    list_display = ["criteria_code", "criteria_version", "task", "created_at"]
    search_fields = ["criteria_code", "task__name"]


@admin.register(RiskLink)
class RiskLinkAdmin(TaskLinkAdmin):
    list_display = ["risk_id", "task", "created_at"]
    search_fields = ["risk_id", "task__name"]


@admin.register(SkillsCredit)
class SkillsCreditAdmin(TaskLinkAdmin):
    list_display = ["task", "user", "credit_value", "created_at"]
    autocomplete_fields = ["task", "user"]
    list_select_related = ["task", "user"]
