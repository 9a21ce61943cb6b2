"""Tasks that wait for a decision: they cannot be completed while a decision blocking them is undecided."""

from django.core.exceptions import ValidationError

from decisions.models import Decision


def blocking_decisions(task):
    return Decision.objects.blocking_task(task.pk).order_by("due_at", "pk")


def refuse_completion_while_undecided(task) -> None:
    """Called by the task completion rule (projects.services): a clear message naming what to decide first."""
    titles = list(blocking_decisions(task).values_list("title", flat=True)[:3]) if task.pk else []
    if titles:
        names = ", ".join(f"“{title}”" for title in titles)
        raise ValidationError({"status": f"This task waits for a decision: decide {names} before completing it."})
