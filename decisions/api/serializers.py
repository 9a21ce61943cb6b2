"""Shapes of the decisions API. The rules (which status may move where, an option and a rationale to decide, a
comment's option and parent) are the decisions services'."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from decisions.enums import DecisionPriority, DecisionStatus, DecisionType
from decisions.models import Decision, DecisionComment
from pit.api.fields import OrgRelatedField

LIST_FIELDS = ["id", "title", "status", "priority", "decision_type", "due_at", "owner", "owner_name", "assigned_to",
               "assigned_to_name", "escalated_to", "escalated_to_name", "project", "project_name", "created_at",
               "updated_at"]  # fmt: skip


class DecisionOut(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.name", read_only=True, default=None)
    escalated_to_name = serializers.CharField(source="escalated_to.name", read_only=True, default=None)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)

    class Meta:
        model = Decision
        fields = LIST_FIELDS


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id")
    author_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    content = serializers.CharField()
    option_id = serializers.CharField(help_text="The option it argues (empty: about the decision as a whole).")
    parent = serializers.IntegerField(source="parent_id", allow_null=True, help_text="The comment it replies to.")
    is_edited = serializers.BooleanField()


class OptionOut(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    pros = serializers.ListField(child=serializers.CharField(), required=False)
    cons = serializers.ListField(child=serializers.CharField(), required=False)
    selected = serializers.BooleanField()


class DecisionDetailOut(DecisionOut):
    """`page` (the decision page's selector) in the context gives the options and the comments."""

    options = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField(help_text="Oldest first; thread them by `parent` and `option_id`.")
    blocked_tasks = serializers.SerializerMethodField(help_text="Ids of the tasks waiting for this decision.")

    class Meta(DecisionOut.Meta):
        fields = [*LIST_FIELDS, "description", "context", "sla_hours", "escalation_level", "decided_at",
                  "decided_by", "decision_rationale", "selected_option", "options", "comments",
                  "blocked_tasks"]  # fmt: skip

    @extend_schema_field(OptionOut(many=True))
    def get_options(self, decision) -> list:
        page = self.context["page"]
        return [{**column.option, "selected": column.selected} for column in page.options]

    @extend_schema_field(CommentOut(many=True))
    def get_comments(self, decision) -> list:
        page = self.context["page"]
        threads = [*page.general, *(thread for column in page.options for thread in column.threads)]
        rows = sorted((c for t in threads for c in (t.comment, *t.replies)), key=lambda c: (c.created_at, c.id))
        return CommentOut(rows, many=True).data

    def get_blocked_tasks(self, decision) -> list[int]:
        return [task.pk for task in self.context["page"].blocked_tasks]


class DecisionQuery(serializers.Serializer):
    """The list's filters, as the decision log's."""

    status = serializers.ChoiceField(choices=DecisionStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=DecisionPriority.choices, required=False)
    decision_type = serializers.ChoiceField(choices=DecisionType.choices, required=False)
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    owner = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    overdue = serializers.BooleanField(required=False, default=False, help_text="Only open ones past their due time.")
    q = serializers.CharField(required=False, max_length=200, help_text="Title contains.")


class CommentIn(serializers.Serializer):
    content = serializers.CharField(max_length=10_000, help_text="@name mentions a colleague (they are told).")
    option_id = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    parent = OrgRelatedField(DecisionComment, required=False, allow_null=True, default=None)


class DecideIn(serializers.Serializer):
    option_id = serializers.CharField(max_length=255, help_text="The chosen option's id.")
    rationale = serializers.CharField(max_length=10_000, help_text="Why.")
