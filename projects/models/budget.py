"""Budget by financial year: each project's CAPEX/OPEX per FY, kept by the roll-ups (beyond schema v0.1)."""

from django.db import models
from django.db.models import Q

from pit.tenancy import OrgManager
from projects.models.hierarchy import Project, money


class ProjectBudget(models.Model):
    """Sum of the project's live task costs whose `fy_allocation` is `financial_year`; rewritten by roll-ups."""

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budgets")
    financial_year = models.IntegerField()
    capex_total = money()
    opex_total = money()

    objects = OrgManager()

    class Meta:
        db_table = "project_budget"
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "financial_year"], name="project_budget_project_fy_uniq"),
            models.CheckConstraint(condition=Q(capex_total__gte=0, opex_total__gte=0), name="project_budget_gte_0"),
        ]

    def __str__(self) -> str:
        return f"FY{self.financial_year}"


class ApprovedBudget(models.Model):
    """The CAPEX/OPEX approved for a project in one financial year: what `ProjectBudget` (the plan) is held to.

    Set by people (admin); the watchdog's BUDGET_OVER rule compares the two."""

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="approved_budgets")
    financial_year = models.IntegerField()
    capex_approved = money()
    opex_approved = money()

    objects = OrgManager()

    class Meta:
        db_table = "project_budget_approved"
        ordering = ["financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "financial_year"], name="project_budget_approved_fy_uniq"),
            models.CheckConstraint(
                condition=Q(capex_approved__gte=0, opex_approved__gte=0), name="project_budget_approved_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"FY{self.financial_year} approved budget"
