"""Integration links (PIT_DATABASE_SCHEMA_v0.1 section 9): ISMS criteria, risks, skills credits."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pit.tenancy import OrgManager
from projects.models.hierarchy import NON_NEGATIVE, Task

USER = settings.AUTH_USER_MODEL


class IsmsLink(models.Model):
    """Section 9.1: a task's link to an ISMS criterion."""

    org_path = "task__project__org"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="isms_links")
    criteria_code = models.TextField()
    criteria_version = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "isms_link"

    def __str__(self) -> str:
        return f"{self.criteria_code} ({self.criteria_version})"


class RiskLink(models.Model):
    """Section 9.2: a task's link to a treatment plan in the (external) risk register."""

    org_path = "task__project__org"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="risk_links")
    risk_id = models.TextField(help_text="The risk's identifier in the risk management system.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "risk_link"

    def __str__(self) -> str:
        return f"Risk {self.risk_id}"


class SkillsCredit(models.Model):
    """Section 9.3: credit earned for completing a task."""

    org_path = "task__project__org"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="skills_credits")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="skills_credits")
    credit_value = models.IntegerField(validators=NON_NEGATIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "skills_credit"
        constraints = [models.CheckConstraint(condition=Q(credit_value__gte=0), name="skills_credit_gte_0")]

    def __str__(self) -> str:
        return f"{self.credit_value} credits"
