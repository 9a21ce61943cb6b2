"""People who make or inform decisions (seed 002 `stakeholders`): internal ones are PIT users, external ones not."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from decisions.enums import StakeholderType
from decisions.models.common import json_list, person, same_org
from pit.fields import EnumField
from pit.models import TimeStampedModel
from pit.tenancy import OrgManager


class Stakeholder(TimeStampedModel):
    """Its counters are kept by the decision services in the same transaction as the decision's change, with
    single UPDATE ... SET n = n + 1 statements (so concurrent decisions never lose a count);
    `selectors.stakeholder_counts` computes the same figures from the decisions, and tests compare the two."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="stakeholders")
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=255)
    title = models.CharField(max_length=255, blank=True, default="")
    organization = models.CharField(
        max_length=255, blank=True, default="", help_text="Their organisation, if not ours."
    )
    phone = models.CharField(max_length=255, blank=True, default="")
    type = EnumField("stakeholder_type_enum", StakeholderType, default=StakeholderType.INTERNAL)
    user = person("stakeholder_records", help_text="The PIT user, for people inside the organisation.")
    expertise = json_list(help_text="Areas of expertise.")
    preferred_contact_method = models.CharField(max_length=255, blank=True, default="")
    availability_notes = models.TextField(blank=True, default="")
    timezone = models.CharField(max_length=255, blank=True, default="")
    decisions_pending = models.IntegerField(default=0)
    decisions_completed = models.IntegerField(default=0)
    decisions_escalated = models.IntegerField(default=0)
    avg_response_time_hours = models.FloatField(null=True, blank=True)
    last_decision_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True, default="")
    external_refs = models.JSONField(default=dict, blank=True)
    created_by = person(null=False)

    objects = OrgManager()

    class Meta:
        db_table = "stakeholder"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "user"], condition=Q(user__isnull=False), name="stakeholder_user_uniq"
            ),
            models.CheckConstraint(
                condition=Q(decisions_pending__gte=0, decisions_completed__gte=0, decisions_escalated__gte=0),
                name="stakeholder_counters_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("decisions:stakeholders") + f"#stakeholder-{self.pk}"

    @property
    def is_internal(self) -> bool:
        return self.user_id is not None

    def clean(self):
        super().clean()
        same_org(self, self.org_id, "user")
        if self.user_id is None and self.type == StakeholderType.INTERNAL:
            raise ValidationError({"user": "An internal stakeholder is a person of the organisation: choose them."})
