"""An organisation's decision rules: how long each priority may wait (its SLA) and how often to escalate."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from decisions.enums import DecisionPriority
from pit.models import TimeStampedModel
from pit.tenancy import OrgManager

HOURS = [MinValueValidator(1), MaxValueValidator(24 * 365)]
DEFAULT_SLA_HOURS = {
    DecisionPriority.BLOCKING: 24,
    DecisionPriority.HIGH: 72,
    DecisionPriority.NORMAL: 120,
    DecisionPriority.LOW: 240,
}


def hours(default: int, help_text: str):
    return models.IntegerField(default=default, validators=HOURS, help_text=help_text)


class DecisionSettings(TimeStampedModel):
    """One row per organisation; an organisation without one uses the defaults."""

    org = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="decision_settings")
    sla_hours_blocking = hours(DEFAULT_SLA_HOURS[DecisionPriority.BLOCKING], "SLA of a blocking decision.")
    sla_hours_high = hours(DEFAULT_SLA_HOURS[DecisionPriority.HIGH], "SLA of a high-priority decision.")
    sla_hours_normal = hours(DEFAULT_SLA_HOURS[DecisionPriority.NORMAL], "SLA of a normal decision.")
    sla_hours_low = hours(DEFAULT_SLA_HOURS[DecisionPriority.LOW], "SLA of a low-priority decision.")
    escalation_interval_hours = hours(24, "After an escalation, how long the new holder has before the next one.")

    objects = OrgManager()

    class Meta:
        db_table = "decision_settings"
        verbose_name_plural = "decision settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    sla_hours_blocking__gte=1, sla_hours_high__gte=1, sla_hours_normal__gte=1, sla_hours_low__gte=1,
                    escalation_interval_hours__gte=1,
                ),
                name="decision_settings_hours_positive",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"Decision settings of {self.org}"

    def sla_hours(self, priority: str) -> int:
        return getattr(self, f"sla_hours_{priority.lower()}")
