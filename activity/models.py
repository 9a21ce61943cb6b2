"""The activity app's one table: which project each audit row is about, so a project's history page walks its own
index instead of the whole organisation's log.

`audit_log` names a row by table and id, not by project; a milestone's, deliverable's or task's project is one join
away. A statement-level trigger on `audit_log` (migration 0002) writes one entry per audit row about a project,
milestone, deliverable or task, in the same statement and transaction, set-based for bulk writes. Entries are never
changed (the audit log is append-only), so a task moved to another project keeps its earlier history in the first.
"""

from django.db import models

from pit.tenancy import OrgManager


class ProjectEntry(models.Model):
    org_path = "project__org"

    audit = models.OneToOneField("pit.AuditLog", primary_key=True, on_delete=models.DO_NOTHING, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+", db_index=False)
    created_at = models.DateTimeField(help_text="The audit row's, copied: the feed's order.")

    objects = OrgManager()

    class Meta:
        db_table = "activity_project_entry"
        indexes = [models.Index(fields=["project", "-created_at", "-audit"], name="activity_project_feed_idx")]

    def __str__(self) -> str:
        return f"audit {self.audit_id} → project {self.project_id}"
