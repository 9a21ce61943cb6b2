"""Reads of the decisions domain. Each runs a fixed number of queries whatever the size of the data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Avg, Count, F, Max, Q, Sum
from django.db.models.functions import Extract

from accounts.models import User
from decisions.enums import UNDECIDED, DecisionStatus
from decisions.models import Decision, Hypothesis
from pit.models import AuditLog
from projects.models import IsmsLink, RiskLink, SkillsCredit

DONE = (DecisionStatus.DECIDED, DecisionStatus.IMPLEMENTED)
SORTS = {
    "due": ("due_at", "pk"),
    "-due": ("-due_at", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
    "title": ("title", "pk"),
}


# What a row of the log shows (the long texts and JSON columns stay in the database).
LIST_COLUMNS = ("title", "status", "priority", "decision_type", "due_at", "created_at", "org_id", "owner__name",
                "assigned_to__name", "escalated_to__name", "project__name")  # fmt: skip


def decision_list(org, filters: dict, *, now):
    """The organisation's decisions, filtered (cleaned form data) and sorted (by due time unless asked)."""
    decisions = Decision.objects.for_org(org)
    exact = {
        key: filters[key] for key in ("status", "priority", "decision_type", "owner", "project") if filters.get(key)
    }
    decisions = decisions.filter(**exact)
    if filters.get("overdue"):
        decisions = decisions.overdue(now)
    if filters.get("q"):
        decisions = decisions.filter(title__icontains=filters["q"])
    order = SORTS.get(filters.get("sort") or "due", SORTS["due"])
    related = ("owner", "assigned_to", "escalated_to", "project")
    return decisions.select_related(*related).only(*LIST_COLUMNS).order_by(*order)


@dataclass
class Thread:
    comment: tuple
    replies: list = field(default_factory=list)


@dataclass
class OptionColumn:
    option: dict
    threads: list[Thread]
    selected: bool


@dataclass
class DecisionPage:
    options: list[OptionColumn]
    general: list[Thread]
    timeline: list
    blocked_tasks: list
    comment_count: int


COMMENT_COLUMNS = ("id", "author_id", "author_name", "created_at", "content", "option_id", "parent_id", "is_edited")


def _comments(decision: Decision) -> list[tuple]:
    """The decision's comments as light named tuples (a page may show hundreds)."""
    rows = decision.comments.annotate(author_name=F("author__name")).order_by("created_at", "pk")
    return list(rows.values_list(*COMMENT_COLUMNS, named=True))


def _threads(comments: list[tuple]) -> tuple[dict[str, list[Thread]], list[Thread]]:
    """Comments as threads (a reply under its top-level comment, however deep), grouped by option."""
    by_id = {comment.id: comment for comment in comments}
    threads: dict[int, Thread] = {}
    by_option: dict[str, list[Thread]] = defaultdict(list)
    for comment in comments:
        root = comment
        while root.parent_id and root.parent_id in by_id:
            root = by_id[root.parent_id]
        if root is comment:
            threads[comment.id] = Thread(comment)
            by_option[comment.option_id].append(threads[comment.id])
        else:
            threads[root.id].replies.append(comment)
    return by_option, by_option.pop("", [])


PEOPLE_IN_EVENTS = ("assigned_to_id", "escalated_to_id")


def timeline(decision: Decision) -> list[AuditLog]:
    """What happened to the decision, oldest first, from its audit rows; each row's `person` is whom it was
    assigned or escalated to (two queries)."""
    rows = AuditLog.objects.filter(table_name="decision", record_id=str(decision.pk)).select_related("user")
    rows = list(rows.order_by("created_at", "pk"))
    ids = {(row.after_state or {}).get(key) for row in rows for key in PEOPLE_IN_EVENTS} - {None}
    names = dict(User.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for row in rows:
        after = row.after_state or {}
        row.person = next((names.get(after[key]) for key in PEOPLE_IN_EVENTS if after.get(key)), None)
    return rows


def decision_page(decision: Decision) -> DecisionPage:
    comments = _comments(decision)
    by_option, general = _threads(comments)
    chosen = (decision.selected_option or {}).get("id")
    options = [
        OptionColumn(option, by_option.get(option["id"], []), option["id"] == chosen) for option in decision.options
    ]
    tasks = list(decision.blocked_tasks.select_related("project").order_by("end_date", "pk"))
    return DecisionPage(options, general, timeline(decision), tasks, len(comments))


def stakeholder_counts(stakeholders) -> dict[int, dict]:
    """The stakeholders' counters computed from the decisions (what the services keep in the columns)."""
    rows = (
        Decision.objects.filter(stakeholder__in=stakeholders)
        .values("stakeholder")
        .annotate(
            pending=Count("pk", filter=Q(status__in=UNDECIDED)),
            completed=Count("pk", filter=Q(status__in=DONE)),
            escalated=Count("pk", filter=Q(escalation_level__gt=0)),
            avg_hours=Avg(Extract(F("decided_at") - F("created_at"), "epoch") / 3600.0, filter=Q(status__in=DONE)),
            last=Max("decided_at", filter=Q(status__in=DONE)),
        )
        .order_by()
    )
    counts = {pk: {"pending": 0, "completed": 0, "escalated": 0, "avg_hours": None, "last": None}
              for pk in stakeholders.values_list("pk", flat=True)}  # fmt: skip
    counts.update({row.pop("stakeholder"): row for row in rows})
    return counts


def outcome_page(outcome):
    hypotheses = list(Hypothesis.objects.filter(outcome=outcome).select_related("owner").order_by("created_at", "pk"))
    decisions = list(
        Decision.objects.filter(outcome=outcome).select_related("owner", "hypothesis").order_by("due_at", "pk")
    )
    return hypotheses, decisions


def gantt_markers(project) -> list[dict]:
    """Undecided decisions about a project or blocking its tasks, for a marker at their due date on its Gantt:
    one query."""
    about = Q(project=project) | Q(blocked_links__task__project=project)
    rows = Decision.objects.undecided().filter(about, due_at__isnull=False).distinct().order_by("due_at", "pk")
    markers = {}
    for pk, title, due_at, status, task_id in rows.values_list(
        "pk", "title", "due_at", "status", "blocked_links__task"
    ):
        due = due_at.astimezone(project.org.tz).date()  # the day it falls on where the organisation works
        marker = markers.setdefault(pk, {"id": pk, "title": title, "due": due, "status": status, "tasks": []})
        if task_id:
            marker["tasks"].append(task_id)
    return list(markers.values())


def project_decisions(project) -> list[Decision]:
    return list(
        Decision.objects.filter(project=project).select_related("assigned_to", "owner").order_by("due_at", "pk")
    )


@dataclass
class TaskPanel:
    blocking: list
    decided: list
    isms: list
    risks: list
    credits: list


def task_panel(task) -> TaskPanel:
    """What the decisions domain shows on a task's page: five queries."""
    decisions = list(
        Decision.objects.filter(blocked_links__task=task)
        .select_related("assigned_to", "escalated_to")
        .order_by("due_at", "pk")
    )
    return TaskPanel(
        blocking=[d for d in decisions if d.status in UNDECIDED],
        decided=[d for d in decisions if d.status not in UNDECIDED],
        isms=list(IsmsLink.objects.filter(task=task).order_by("criteria_code", "criteria_version")),
        risks=list(RiskLink.objects.filter(task=task).order_by("risk_id")),
        credits=list(SkillsCredit.objects.filter(task=task).select_related("user")),
    )


def credits(org, start, end, *, by: str):
    """Skills credits earned between `start` and `end` (dates in the organisation's time zone, inclusive), summed
    per person or per team (a person in two teams counts in both)."""
    since = datetime.combine(start, time.min, tzinfo=org.tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=org.tz)
    earned = SkillsCredit.objects.for_org(org).filter(created_at__gte=since, created_at__lt=until)
    if by == "team":
        rows = (
            earned.filter(user__team_memberships__team__org=org)
            .values(name=F("user__team_memberships__team__name"))
            .annotate(
                credits=Sum("credit_value"), tasks=Count("task", distinct=True), people=Count("user", distinct=True)
            )
        )
    else:
        rows = earned.values(name=F("user__name"), email=F("user__email")).annotate(
            credits=Sum("credit_value"), tasks=Count("task", distinct=True)
        )
    return list(rows.order_by("-credits", "name"))
