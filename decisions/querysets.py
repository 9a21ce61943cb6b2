"""Decision querysets: the named sets the pages, the escalation job and (at merge) the watchdog use."""

from django.db.models import Q
from django.utils import timezone

from decisions.enums import OPEN, UNDECIDED
from pit.tenancy import OrgQuerySet


class DecisionQuerySet(OrgQuerySet):
    def undecided(self):
        return self.filter(status__in=UNDECIDED)

    def open(self):
        return self.filter(status__in=OPEN)

    def overdue(self, now=None):
        """Open (not deferred, not decided) decisions past their due time: what escalates, and what the watchdog's
        DECISION_OVERDUE rule reports."""
        return self.open().filter(due_at__lt=now or timezone.now())

    def blocking_task(self, task_id: int):
        return self.undecided().filter(Q(blocked_links__task_id=task_id))
