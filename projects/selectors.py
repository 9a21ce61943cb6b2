"""Reads of the workspace: the portfolio, one project's tree, My work and the quick-win board.

Every selector runs a fixed number of queries whatever the size of the data (the tests assert it).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, RowNumber

from accounts.models import User
from accounts.permissions import PLAN, UPDATE_OWN_WORK, has_perm
from evidence.models import ACCEPTED_Q, Evidence
from pit.enums import QuickClass, TaskStatus
from projects.models import Deliverable, Milestone, Project, ProjectBudget, ProjectStatus, Task
from projects.status import derived_status_expression
from watchdog.models import WatchdogAlert

SORTS = {
    "name": ("name",),
    "start": ("start_date", "name"),
    "end": ("end_date", "name"),
    "progress": ("progress_percent", "name"),
    "status": ("status", "name"),
    "owner": ("owner__name", "name"),
    "capex": ("capex_total", "name"),
    "opex": ("opex_total", "name"),
}


def _open_alerts():
    alerts = WatchdogAlert.objects.filter(project=OuterRef("pk"), resolved_at__isnull=True)
    counted = alerts.order_by().values("project").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def portfolio(org, filters: dict, *, deleted: bool = False):
    """The organisation's projects and streams, filtered and sorted (cleaned form data as `filters`)."""
    manager = Project.all_objects if deleted else Project.objects
    projects = manager.for_org(org).filter(deleted_at__isnull=not deleted)
    exact = {key: filters[key] for key in ("type", "status", "owner", "division", "quick_class") if filters.get(key)}
    projects = projects.filter(**exact)
    if filters.get("starts_after"):
        projects = projects.filter(end_date__gte=filters["starts_after"])  # overlaps the range
    if filters.get("ends_before"):
        projects = projects.filter(start_date__lte=filters["ends_before"])
    if filters.get("q"):
        projects = projects.filter(name__icontains=filters["q"])
    sort = filters.get("sort") or "start"
    order = SORTS[sort.removeprefix("-")]
    if sort.startswith("-"):
        order = tuple(f"-{key}" for key in order)
    return projects.select_related("owner", "division").annotate(open_alerts=_open_alerts()).order_by(*order, "pk")


@dataclass
class Headline:
    by_status: dict[str, int]
    budget_by_fy: list[dict]
    total: int

    @property
    def status_rows(self):
        return [(status, self.by_status.get(status.value, 0)) for status in ProjectStatus]


def headline(projects) -> Headline:
    """RAG counts and budget by financial year of a (filtered) portfolio: two queries."""
    counts = dict(projects.order_by().values_list("status").annotate(n=Count("*")))
    budget = (
        ProjectBudget.objects.filter(project__in=projects.order_by().values("pk"))
        .values("financial_year")
        .annotate(capex=Sum("capex_total"), opex=Sum("opex_total"))
        .order_by("financial_year")
    )
    return Headline(counts, list(budget), sum(counts.values()))


def _accepted_evidence():
    return Exists(Evidence.objects.filter(ACCEPTED_Q, task=OuterRef("pk")))


@dataclass
class DeliverableNode:
    deliverable: Deliverable
    tasks: list = field(default_factory=list)  # its task rows when they are in the page
    task_count: int = 0
    inline: bool = True  # its task rows are in the page, else fetched when it is opened


@dataclass
class MilestoneNode:
    milestone: Milestone
    deliverables: list = field(default_factory=list)


@dataclass
class ProjectTree:
    milestones: list[MilestoneNode]
    budgets: list
    evidence_needed: int
    evidence_accepted: int
    task_count: int


TASK_COLUMNS = ("id", "name", "status", "start_date", "end_date", "progress_percent", "requires_evidence",
                "deliverable_id", "owner__name", "quick_class", "order_index")  # fmt: skip
TREE_TASK_ROWS = 500  # task rows a project page carries; deliverables past them bring theirs when opened


def _task_rows(tasks):
    return (
        tasks.order_by("order_index", "start_date", "pk")
        .annotate(evidence_ok=_accepted_evidence())
        .values(*TASK_COLUMNS, "evidence_ok")
    )


def deliverable_task_rows(deliverable: Deliverable) -> list[dict]:
    """A deliverable's task rows as the project tree shows them: one query."""
    return list(_task_rows(deliverable.tasks.all()))


def project_tree(project: Project) -> ProjectTree:
    """Milestones → deliverables → the task rows a page carries (plain dicts), with every deliverable's task count
    and the project's evidence figures, in five queries whatever the size."""
    milestones = [
        MilestoneNode(m) for m in project.milestones.select_related("owner").order_by("order_index", "start_date", "pk")
    ]
    by_milestone = {node.milestone.pk: node for node in milestones}
    deliverables = {}
    for deliverable in project.deliverables.select_related("owner").order_by("order_index", "start_date", "pk"):
        node = deliverables[deliverable.pk] = DeliverableNode(deliverable)
        by_milestone[deliverable.milestone_id].deliverables.append(node)
    needing = Q(requires_evidence=True)
    counts = (
        project.tasks.order_by()
        .values("deliverable_id")
        .annotate(
            tasks=Count("pk"),
            needed=Count("pk", filter=needing),
            accepted=Count("pk", filter=needing & _accepted_evidence()),
        )
    )
    needed = accepted = 0
    for row in counts:
        deliverables[row["deliverable_id"]].task_count = row["tasks"]
        needed, accepted = needed + row["needed"], accepted + row["accepted"]
    for task in _task_rows(project.tasks.filter(deliverable_id__in=_fold_past(milestones, TREE_TASK_ROWS))):
        deliverables[task["deliverable_id"]].tasks.append(task)
    budgets = list(project.budgets.all())
    return ProjectTree(milestones, budgets, needed, accepted, sum(node.task_count for node in deliverables.values()))


def _fold_past(milestones: list[MilestoneNode], rows: int) -> list[int]:
    """The deliverables whose task rows the page carries: the first ones in tree order, until `rows` are used; the
    later ones bring theirs when opened, so a 20,000-task project's page weighs about what a 500-task one does."""
    inline = []
    for node in (d for m in milestones for d in m.deliverables):
        node.inline = node.task_count <= rows
        rows = rows - node.task_count if node.inline else 0
        if node.inline and node.task_count:
            inline.append(node.deliverable.pk)
    return inline


def deleted_children(project: Project) -> list:
    """Rows of this live project deleted on their own (not with a deleted parent): what can be restored here."""
    rows = []
    for model, parent in ((Milestone, None), (Deliverable, "milestone"), (Task, "deliverable")):
        deleted = model.all_objects.filter(project=project, deleted_at__isnull=False)
        if parent:
            deleted = deleted.filter(**{f"{parent}__deleted_at__isnull": True})
        rows += [(model._meta.verbose_name, row) for row in deleted.order_by("-deleted_at")[:50]]
    return rows


MY_WORK_GROUPS = [
    ("overdue", "Overdue", (TaskStatus.OVERDUE,)),
    ("due_today", "Due today", (TaskStatus.DUE_TODAY,)),
    ("active", "Active", (TaskStatus.ACTIVE,)),
    ("upcoming", "Upcoming", (TaskStatus.UPCOMING, TaskStatus.NOT_STARTED)),
    ("blocked", "Blocked", (TaskStatus.BLOCKED,)),
]
GROUP_SIZE = 25


def owned_or_assigned(user) -> Q:
    """Tasks the user owns or is assigned to. Looked up through `task_ids_of_person` (migration 0007): under
    row-level security the planner may not use the assignees index directly and would scan every task."""
    return Q(RawSQL('"task"."id" = ANY(task_ids_of_person(%s))', [user.pk], output_field=BooleanField()))


def _firsts(queryset, partition: str, size: int, order=("end_date", "pk")) -> dict:
    """The first `size` rows of each `partition` value, each carrying `total` (its partition's size): one query."""
    window = {"partition_by": [F(partition)]}
    ranked = queryset.annotate(
        rank=Window(RowNumber(), order_by=[F(key).asc() for key in order], **window),
        total=Window(Count("pk"), **window),
    )
    groups = defaultdict(list)
    for row in ranked.filter(rank__lte=size).order_by(*order):
        groups[getattr(row, partition)].append(row)
    return groups


def _total(rows) -> int:
    return rows[0].total if rows else 0


def my_work(user, today) -> list[dict]:
    """My work's groups: the user's open tasks (owned or assigned) by live status as of today (not waiting for the
    nightly run), each group with its total and its first GROUP_SIZE tasks by end date. The ranking reads narrow
    rows (a person may have thousands of open tasks); then the tasks shown are read with their project and
    deliverable: four queries."""
    ranked = _ranked_open_tasks(user, today, GROUP_SIZE)
    shown = Task.objects.for_org(user.org).prefetch_related("project", "deliverable").in_bulk([r[0] for r in ranked])
    groups = []
    for key, label, statuses in MY_WORK_GROUPS:
        rows = [row for row in ranked if row[1] in statuses]
        total = sum({status: size for _, status, size in rows}.values())
        # a task deleted between the two reads is left out rather than failing the page
        tasks = [_shown_as(shown[pk], status) for pk, status, _ in rows[:GROUP_SIZE] if pk in shown]
        groups.append({"key": key, "label": label, "total": total, "tasks": tasks})
    return groups


def _ranked_open_tasks(user, today, size: int) -> list[tuple[int, str, int]]:
    """(id, live status, how many of the user's open tasks have that status) of the first `size` tasks of each live
    status, by end date. Read through `open_tasks_of_person` (projects migration 0008), which keeps to the
    organisation as row-level security would and uses the assignees index, which a policy rules out."""
    query = Task.objects.all().query
    status, params = (
        derived_status_expression(today)
        .resolve_expression(query)
        .as_sql(query.get_compiler(connection=connection), connection)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, live_status, total FROM ("
            " SELECT id, end_date, live_status,"
            "  row_number() OVER (PARTITION BY live_status ORDER BY end_date, id) AS rank,"
            "  count(*) OVER (PARTITION BY live_status) AS total"
            f" FROM (SELECT task.id, task.end_date, {status} AS live_status"
            "  FROM open_tasks_of_person(%s) AS task) mine"
            ") ranked WHERE rank <= %s ORDER BY end_date, id",
            [*params, user.pk, size],
        )
        return cursor.fetchall()


def _shown_as(task: Task, live_status: str) -> Task:
    task.live_status = live_status
    return task


BOARD_SIZE = 40


def board(org, *, user, project=None) -> list[dict]:
    """Quick-win board columns: projects, and open tasks (of one project, or the user's own): two queries."""
    tasks = Task.objects.for_org(org).exclude(status=TaskStatus.COMPLETED).select_related("project")
    tasks = tasks.filter(project=project) if project is not None else tasks.filter(owned_or_assigned(user))
    projects = _firsts(Project.objects.for_org(org).select_related("owner"), "quick_class", BOARD_SIZE)
    tasks = _firsts(tasks, "quick_class", BOARD_SIZE)
    return [
        {
            "quick_class": quick_class,
            "projects": projects[quick_class.value],
            "project_total": _total(projects[quick_class.value]),
            "tasks": tasks[quick_class.value],
            "task_total": _total(tasks[quick_class.value]),
        }
        for quick_class in QuickClass
    ]


def people_named(org, ids) -> list[str]:
    return list(User.objects.filter(org=org, pk__in=ids or []).order_by("name").values_list("name", flat=True))


def can_update_task(user, task) -> bool:
    """Owners and assignees update their own tasks' status and progress; planners any task."""
    if has_perm(user, PLAN):
        return True
    mine = task.owner_id == user.pk or user.pk in (task.assignees or [])
    return mine and has_perm(user, UPDATE_OWN_WORK)
