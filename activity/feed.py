"""The activity feeds: an organisation's, a project's and a task's audit rows, newest first, filtered, keyset-paginated
on (created_at, id) and told in sentences.

A page is three queries whatever the size of the log: the page of audit rows (with their actors), the names and
projects of the items on it, and the people an owner change names. The indexes are this app's migrations': a
page walks `audit_log (org_id, created_at DESC, id DESC)` (or its per-person, per-item-type or per-item twin, or a
project's entries in `activity_project_entry`) from the cursor and stops after one row more than it shows, so the
thousandth page costs what the first does.
"""

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from accounts.models import User
from activity import sentences
from activity.models import ProjectEntry
from pit.models import AuditLog
from projects.models import Deliverable, Milestone, Project, Task

PAGE_SIZE = 50
HIERARCHY = {"project": Project, "milestone": Milestone, "deliverable": Deliverable, "task": Task}


def _changed(*fields: str) -> str:
    """An UPDATE whose after-state holds one of `fields` with a new value."""
    tests = [f"(after_state ? '{f}' AND (after_state->'{f}') IS DISTINCT FROM (before_state->'{f}'))" for f in fields]
    return "action = 'UPDATE' AND (" + " OR ".join(tests) + ")"


KINDS = {
    "added": ("Added", "action = 'CREATE'"),
    "removed": ("Removed", "action = 'DELETE'"),
    "restored": ("Restored", "action = 'RESTORE'"),
    "dates": ("Dates", _changed("start_date", "end_date")),
    "status": ("Status", _changed("status")),
    "owner": ("Owner", _changed("owner_id")),
    "progress": ("Progress", _changed("progress_percent")),
    "costs": ("Costs", _changed("capex_cost", "opex_cost", "capex_total", "opex_total")),
}


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: strictly older than this audit row."""

    at: datetime
    id: int

    def __str__(self) -> str:
        return f"{self.at.isoformat()}_{self.id}"

    @classmethod
    def parse(cls, value: str) -> "Cursor | None":
        if not value:
            return None
        at, _, pk = value.rpartition("_")
        try:
            moment, number = parse_datetime(at), int(pk)
        except ValueError:
            raise BadCursor(value) from None
        if moment is None or moment.tzinfo is None:
            raise BadCursor(value)
        return cls(moment, number)


@dataclass
class Filters:
    person: User | None = None
    kind: str = ""
    item: str = ""
    start: object = None  # dates, in the organisation's time zone
    end: object = None


@dataclass
class Entry:
    id: int
    at: datetime
    when: str  # in the organisation's time zone
    actor: str
    text: str
    kinds: list[str]
    item: str  # the item type's word
    link: str


@dataclass
class Page:
    entries: list[Entry]
    next: Cursor | None


COLUMNS = (
    "id",
    "created_at",
    "action",
    "table_name",
    "record_id",
    "before_state",
    "after_state",
    "user__name",
    "user__is_system",
)


@dataclass(frozen=True)
class Source:
    """Where a feed's rows come from: the audit log itself, or (a project's feed) its entries joined to the log.
    Both have `created_at` (the entries copy it), so date ranges and the keyset use the source's own index."""

    rows: object  # a queryset
    prefix: str  # the lookup from its rows to audit_log's columns
    keyset: str  # SQL of (moment, id) on its own index

    def where(self, *conditions, **lookups) -> "Source":
        return replace(self, rows=self.rows.filter(*conditions, **lookups))

    def audit(self, **lookups) -> "Source":
        return self.where(**{self.prefix + key: value for key, value in lookups.items()})


def _source(org, *, project: Project | None, task: Task | None) -> Source:
    if project is not None:  # the project's own index (activity.models), never a walk over the organisation's log
        entries = ProjectEntry.objects.filter(project=project, audit__org=org)
        return Source(entries, "audit__", "(activity_project_entry.created_at, activity_project_entry.audit_id)")
    rows = AuditLog.objects.filter(org=org)
    if task is not None:
        rows = rows.filter(table_name="task", record_id=str(task.pk))
    return Source(rows, "", "(audit_log.created_at, audit_log.id)")


def _filtered(source: Source, filters: Filters, org) -> Source:
    if filters.person:
        source = source.audit(user=filters.person)
    if filters.item:
        source = source.audit(table_name=filters.item)
    if filters.start:
        source = source.where(created_at__gte=datetime.combine(filters.start, time(), tzinfo=org.tz))
    if filters.end:
        source = source.where(created_at__lt=datetime.combine(filters.end + timedelta(days=1), time(), tzinfo=org.tz))
    if filters.kind:  # audit_log's own columns, by name: no other table in the query has them
        source = source.where(RawSQL(KINDS[filters.kind][1], [], BooleanField()))
    return source


def page(org, *, filters: Filters, cursor: Cursor | None = None, project=None, task=None, size=PAGE_SIZE) -> Page:
    """One page of the feed of `org` (narrowed to `project` or `task`), older than `cursor`."""
    source = _filtered(_source(org, project=project, task=task), filters, org)
    if cursor is not None:
        source = source.where(RawSQL(f"{source.keyset} < (%s, %s)", [cursor.at, cursor.id], BooleanField()))
    order = ("-created_at", "-audit_id") if source.prefix else ("-created_at", "-id")
    values = source.rows.order_by(*order).values(*(source.prefix + column for column in COLUMNS))[: size + 1]
    found = [{column: row[source.prefix + column] for column in COLUMNS} for row in values]
    more, found = len(found) > size, found[:size]
    items = _items(found)
    people = _people(found)
    entries = [_entry(row, items, people, org.tz) for row in found]
    return Page(entries, Cursor(found[-1]["created_at"], found[-1]["id"]) if more else None)


ITEMS_SQL = " UNION ALL ".join(
    f"SELECT '{table}', id, name, {'id' if table == 'project' else 'project_id'} FROM {table} WHERE id = ANY(%s)"
    for table in HIERARCHY
)


def _items(rows) -> dict[tuple[str, int], tuple[str, int]]:
    """(table, id) → (name, project id) of the hierarchy rows on the page, deleted ones too: one query."""
    wanted = {table: set() for table in HIERARCHY}
    for row in rows:
        if row["table_name"] in wanted and row["record_id"].isdigit():
            wanted[row["table_name"]].add(int(row["record_id"]))
    if not any(wanted.values()):
        return {}
    with connection.cursor() as cursor:
        cursor.execute(ITEMS_SQL, [sorted(ids) for ids in wanted.values()])
        return {(table, pk): (name, project) for table, pk, name, project in cursor.fetchall()}


def _people(rows) -> dict[int, str]:
    """Names of the people owner changes on the page mention: one query, when there are any."""
    ids = {
        state.get("owner_id")
        for row in rows
        if row["action"] == "UPDATE"
        for state in (row["before_state"] or {}, row["after_state"] or {})
    } - {None}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def _link(table: str, pk: int, project: int | None) -> str:
    if table == "milestone" and project:
        return reverse("projects:project", args=[project]) + f"#milestone-{pk}"
    if table in HIERARCHY and table != "milestone":
        return reverse(f"projects:{table}", args=[pk])
    return ""


def _entry(row, items, people, tz) -> Entry:
    table, record = row["table_name"], row["record_id"]
    before, after = row["before_state"], row["after_state"]
    known = items.get((table, int(record))) if record.isdigit() else None
    snapshot = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
    name = known[0] if known else snapshot.get("name") or snapshot.get("title") or f"#{record}"
    actor = sentences.actor(row["user__name"], row["user__is_system"], after)
    text = sentences.sentence(
        actor=actor, action=row["action"], table=table, name=name, before=before, after=after,
        names=people,
    )  # fmt: skip
    link = _link(table, int(record), known[1]) if known else ""
    kinds = sentences.kinds(row["action"], before, after)
    when = f"{row['created_at'].astimezone(tz):%-d %b %Y %H:%M}"
    return Entry(row["id"], row["created_at"], when, actor, text, kinds, sentences.item_word(table), link)
