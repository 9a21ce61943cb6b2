"""The task status engine: which statuses people set, and which follow from the dates and today.

People set `completed` and `blocked` (with a reason). Every other status is derived from the task's dates and
today in the organisation's time zone:

- overdue    the end date has passed
- due_today  it ends today
- active     it has started and ends later
- upcoming   it starts within the next UPCOMING_DAYS days
- not_started otherwise

`derived_status` is the one rule; `status_on` applies it to one row in Python and `derived_status_expression` to
a whole queryset in SQL (the nightly UPDATE and My work's grouping). A test keeps the two in step.
"""

from datetime import date, timedelta

from django.db.models import Case, F, Q, TextField, Value, When

from pit.enums import TaskStatus

UPCOMING_DAYS = 14
SET_BY_PEOPLE = (TaskStatus.COMPLETED, TaskStatus.BLOCKED)
LABELS = dict(TaskStatus.choices)


def _rules(today: date) -> list[tuple[Q, str]]:
    return [
        (Q(end_date__lt=today), TaskStatus.OVERDUE),
        (Q(end_date=today), TaskStatus.DUE_TODAY),
        (Q(start_date__lte=today), TaskStatus.ACTIVE),
        (Q(start_date__lte=today + timedelta(days=UPCOMING_DAYS)), TaskStatus.UPCOMING),
    ]


def status_on(task, today: date) -> str:
    """The status `task` should have today (its own, when a person set it)."""
    if task.status in SET_BY_PEOPLE:
        return task.status
    if task.end_date < today:
        return TaskStatus.OVERDUE
    if task.end_date == today:
        return TaskStatus.DUE_TODAY
    if task.start_date <= today:
        return TaskStatus.ACTIVE
    if task.start_date <= today + timedelta(days=UPCOMING_DAYS):
        return TaskStatus.UPCOMING
    return TaskStatus.NOT_STARTED


def derived_status_expression(today: date) -> Case:
    """The same rule as `status_on`, as a SQL CASE over a task queryset."""
    return Case(
        When(status__in=SET_BY_PEOPLE, then=F("status")),
        *(When(condition, then=Value(status.value)) for condition, status in _rules(today)),
        default=Value(TaskStatus.NOT_STARTED.value),
        output_field=TextField(),
    )
