"""Shapes of the alerts API. The rules (a note is required, snooze after today and within a year, a resolved
alert cannot change) are the watchdog services'."""

from rest_framework import serializers

from pit.enums import AlertSeverity
from watchdog import selectors
from watchdog.models import WatchdogAlert


class AlertOut(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="The rule's title.")
    project_name = serializers.CharField(source="project.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    acknowledged_by_name = serializers.CharField(source="acknowledged_by.name", read_only=True, default=None)
    updated_at = serializers.DateTimeField(read_only=True, help_text="Its last change (scan or person).")

    class Meta:
        model = WatchdogAlert
        fields = ["id", "project", "project_name", "code", "title", "severity", "subject_table", "subject_id",
                  "owner", "owner_name", "message", "data", "detected_at", "severity_changed_at", "resolved_at",
                  "acknowledged_at", "acknowledged_by", "acknowledged_by_name", "acknowledge_note", "snoozed_until",
                  "updated_at"]  # fmt: skip


class AlertQuery(serializers.Serializer):
    """The list's filters, as the alerts page's: a tab, then project, rule, owner and severity."""

    tab = serializers.ChoiceField(choices=list(selectors.TABS.items()), required=False, default="open")
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    rule = serializers.ChoiceField(choices=selectors.rule_choices(), required=False, help_text="A rule's code.")
    owner = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    severity = serializers.ChoiceField(choices=AlertSeverity.choices, required=False)


class AcknowledgeIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="What is being done about it.")


class SnoozeIn(serializers.Serializer):
    until = serializers.DateField(help_text="It comes back on that day (after today, within a year).")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
