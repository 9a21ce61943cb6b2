"""Admin for the decisions domain (org-scoped, audited). Status, escalation and counters change only through the
services (state machines, counters, notifications), so here they are read-only; the actions call the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from decisions import escalation
from decisions.models import (
    Decision,
    DecisionBlockedTask,
    DecisionComment,
    DecisionSettings,
    Hypothesis,
    Outcome,
    Stakeholder,
)
from pit.admin import OrgScopedAdmin

DECISION_READONLY = ["status", "due_at", "escalation_level", "escalated_at", "escalated_to", "decided_by",
                     "decided_at", "decision_rationale", "selected_option", "created_by"]  # fmt: skip


class CreatedByAdmin(OrgScopedAdmin):
    """Rows with a `created_by`: whoever adds one in the admin."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class BlockedTaskInline(admin.TabularInline):
    model = DecisionBlockedTask
    extra = 0
    raw_id_fields = ["task"]


@admin.register(Decision)
class DecisionAdmin(OrgScopedAdmin):
    list_display = ["title", "status", "priority", "owner", "assigned_to", "due_at", "escalation_level"]
    list_filter = ["status", "priority", "decision_type", "escalation_level"]
    search_fields = ["title"]
    list_select_related = ["owner", "assigned_to"]
    raw_id_fields = ["project", "milestone", "deliverable", "task", "outcome", "hypothesis", "stakeholder"]
    readonly_fields = DECISION_READONLY
    inlines = [BlockedTaskInline]
    actions = ["escalate_selected"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False  # raised on the decisions page, which sets its SLA, counters and notifications

    @admin.action(description="Escalate selected one level")
    def escalate_selected(self, request, queryset):
        done = 0
        for decision in queryset:
            try:
                escalation.escalate(actor=request.user, decision=decision, reason="from the admin")
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{decision}: {' '.join(error.messages)}", messages.ERROR)
        if done:
            self.message_user(request, f"Escalated {done} decision(s).", messages.SUCCESS)


@admin.register(DecisionComment)
class DecisionCommentAdmin(OrgScopedAdmin):
    list_display = ["decision", "author", "option_id", "is_edited", "created_at"]
    list_select_related = ["decision", "author"]
    search_fields = ["content"]
    raw_id_fields = ["decision", "parent"]
    readonly_fields = ["author", "mentions", "is_edited"]

    def has_add_permission(self, request):
        return False  # written on the decision's page, which notifies the people mentioned


@admin.register(Stakeholder)
class StakeholderAdmin(CreatedByAdmin):
    list_display = ["name", "type", "email", "user", "decisions_pending", "decisions_completed", "decisions_escalated"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "email", "organization"]
    list_select_related = ["user"]
    readonly_fields = ["decisions_pending", "decisions_completed", "decisions_escalated", "avg_response_time_hours",
                       "last_decision_at", "created_by"]  # fmt: skip


class HypothesisInline(admin.TabularInline):
    model = Hypothesis
    extra = 0
    fields = readonly_fields = ["title", "status", "priority", "owner"]
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Outcome)
class OutcomeAdmin(CreatedByAdmin):
    list_display = ["title", "status", "priority", "owner", "team", "target_date"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    list_select_related = ["owner", "team"]
    readonly_fields = ["status", "started_at", "validated_at", "validated_by", "invalidated_at", "invalidated_by",
                       "validation_notes", "created_by"]  # fmt: skip
    inlines = [HypothesisInline]


@admin.register(Hypothesis)
class HypothesisAdmin(CreatedByAdmin):
    list_display = ["title", "outcome", "status", "priority", "owner"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    list_select_related = ["outcome", "owner"]
    raw_id_fields = ["outcome"]
    readonly_fields = ["status", "blocked_reason", "started_at", "deployed_at", "measuring_started_at",
                       "concluded_at", "concluded_by", "conclusion_notes", "created_by"]  # fmt: skip

    def save_model(self, request, obj, form, change):
        obj.org_id = obj.outcome.org_id  # a hypothesis belongs to its outcome's organisation
        super().save_model(request, obj, form, change)


@admin.register(DecisionSettings)
class DecisionSettingsAdmin(OrgScopedAdmin):
    list_display = ["org", "sla_hours_blocking", "sla_hours_high", "sla_hours_normal", "sla_hours_low",
                    "escalation_interval_hours"]  # fmt: skip
    list_select_related = ["org"]
