"""MS Project XML (MSPDI) → Plan.

PIT's hierarchy has three levels under the project; an MSPDI outline can be deeper or shallower. The mapping:

- the project summary task (outline level 0) is not an item: its name is the plan's title;
- a summary task at outline level 1 is a milestone, at level 2 a deliverable; every other task is a task;
- a summary task deeper than level 2 is not created: its tasks go to the deliverable above it, their names
  prefixed with the summary's ("Pumps / Install valves"), and a note says so;
- a task directly under a milestone (level 2, no deliverable) goes into a deliverable named after the milestone;
  a task at level 1 into a milestone and deliverable named "Imported tasks" (consecutive ones share them);
- PIT's own export writes each item's level in the extended attribute aliased "PIT level"; when present it
  wins, so an empty milestone or deliverable comes back as what it was;
- a link to or from a summary task, and a link of a type other than finish-to-start, is noted and left out
  (PIT links tasks finish-to-start only); lags become days: LinkLag is in tenths of a minute, of a working day
  (MinutesPerDay, 480 by default) or of an elapsed day (1440 minutes) for the elapsed lag formats;
- dates are the Start and Finish days (a Finish at 00:00 means the day before); PercentComplete is the progress;
  the owner is the first assigned resource's EmailAddress; costs come from the custom cost fields aliased
  "CAPEX" and "OPEX".
"""

from datetime import datetime, timedelta
from decimal import Decimal

from interchange.formats import xmltree
from interchange.formats.values import MONEY_LIMIT
from interchange.plan import DELIVERABLE, LEVELS, MAX_ITEMS, MILESTONE, TASK, Item, Plan, fill_summary_dates

NAMESPACE = "http://schemas.microsoft.com/project"
FINISH_TO_START = "1"
ELAPSED_LAG_FORMATS = {"4", "6", "8", "10", "12", "20", "36", "38", "40", "42", "44", "52"}
GROUP_NAME = "Imported tasks"
ALIASES = {"capex": "CAPEX", "opex": "OPEX", "level": "PIT level"}


class NotMspdi(ValueError):
    pass


def read(data: bytes) -> Plan:
    namespace, root = xmltree.parse(data)
    if root is None or root.tag != "Project" or namespace != NAMESPACE:
        raise NotMspdi("This XML file is not an MS Project XML (MSPDI) file: its root must be <Project> "
                       f"in the namespace {NAMESPACE}. In MS Project use File → Save As → XML.")  # fmt: skip
    return _Reader(root).plan


class _Reader:
    def __init__(self, root):
        self.root = root
        self.plan = Plan(source="mspdi", title=root.get("Title") or root.get("Name"))
        self.minutes_per_day = _int(root.get("MinutesPerDay"), 480) or 480
        self.fields = self._custom_fields()
        self.owners = self._owners()
        self.made: dict[int | None, int] = {}  # parent item → the deliverable made up under it
        self._items()

    def _custom_fields(self) -> dict[str, str]:
        """FieldID → "capex" / "opex" / "level", from the aliases of the custom fields."""
        wanted = {alias.lower(): key for key, alias in ALIASES.items()}
        found = {}
        for attribute in _children(self.root, "ExtendedAttributes", "ExtendedAttribute"):
            if key := wanted.get(attribute.get("Alias").strip().lower()):
                found[attribute.get("FieldID")] = key
        return found

    def _owners(self) -> dict[str, str]:
        """Task UID → email of its first assigned resource that has one."""
        emails = {r.get("UID"): r.get("EmailAddress") for r in _children(self.root, "Resources", "Resource")}
        owners = {}
        for assignment in _children(self.root, "Assignments", "Assignment"):
            email = emails.get(assignment.get("ResourceUID"), "")
            if email:
                owners.setdefault(assignment.get("TaskUID"), email)
        return owners

    def _items(self) -> None:
        tasks = [t for t in _children(self.root, "Tasks", "Task") if t.get("IsNull") != "1"]
        if len(tasks) > MAX_ITEMS:
            self.plan.problem(tasks[0].line, f"The file has more than {MAX_ITEMS:,} tasks; split the plan.")
            return
        outline = [_int(task.get("OutlineLevel"), 1) for task in tasks]
        summaries = [
            task.get("Summary") == "1" or (i + 1 < len(tasks) and outline[i + 1] > outline[i])
            for i, task in enumerate(tasks)
        ]
        path: list[tuple[int, str, int]] = []  # (outline level, name, item index or -1) of the open summaries
        for task, level, summary in zip(tasks, outline, summaries, strict=True):
            if level == 0:
                self.plan.title = self.plan.title or task.get("Name")
                continue
            while path and path[-1][0] >= level:
                path.pop()
            kind = self._kind(task, level, summary, path)
            index = self._add(task, kind, path)
            if summary:
                path.append((level, task.get("Name"), index))
        fill_summary_dates(self.plan)

    def _kind(self, task, level: int, summary: bool, path) -> str | None:
        """Which PIT level a task becomes (None: a summary too deep to keep, its tasks go one level up)."""
        explicit = self._extended(task).get("level", "").strip().lower()
        if explicit in LEVELS:
            return explicit
        if summary and level <= 2:
            return MILESTONE if level == 1 else DELIVERABLE
        if summary:
            self.plan.note(task.line, f"“{task.get('Name')}” is a summary at outline level {level}: PIT has three "
                           "levels, so its tasks go to the deliverable above it, named after it.")  # fmt: skip
            return None
        return TASK

    def _add(self, task, kind: str | None, path) -> int:
        if kind is None:
            return -1
        wanted = {MILESTONE: (), DELIVERABLE: (MILESTONE,), TASK: (MILESTONE, DELIVERABLE)}[kind]
        parents = [index for _, _, index in path if index >= 0 and self.plan.items[index].level in wanted]
        parent = parents[-1] if parents else None
        if kind == TASK:
            parent = self._deliverable_for(task, parent)
            prefix = [name for _, name, index in path if index < 0]
            name = " / ".join([*prefix, task.get("Name")])
        else:
            name = task.get("Name")
            self.made.clear()  # tasks after a real milestone or deliverable no longer share a made-up one
        self.plan.items.append(self._item(task, kind, name, parent))
        return len(self.plan.items) - 1

    def _deliverable_for(self, task, parent: int | None) -> int:
        """The deliverable a task goes in; one is made up when the outline has none above it (consecutive tasks
        without one share it)."""
        items = self.plan.items
        if parent is not None and items[parent].level == DELIVERABLE:
            return parent
        if parent not in self.made:
            milestone = parent if parent is not None else self._made_up(task, MILESTONE, None, GROUP_NAME)
            self.made[parent] = self._made_up(task, DELIVERABLE, milestone, items[milestone].name)
        return self.made[parent]

    def _made_up(self, task, level: str, parent: int | None, name: str) -> int:
        self.plan.items.append(Item(row=task.line, level=level, name=name, parent=parent))
        self.plan.note(task.line, f"“{task.get('Name')}” has no {level} above it: it goes in the {level} “{name}”.")
        return len(self.plan.items) - 1

    def _item(self, task, kind: str, name: str, parent: int | None) -> Item:
        start, finish = self._day(task, "Start"), self._day(task, "Finish")
        if start and finish and finish < start:
            finish = start  # a zero-length milestone ending at the start of its day
        extended = self._extended(task)
        item = Item(row=task.line, level=kind, name=name, ref=task.get("UID"), parent=parent,
                    start=start and start.isoformat(), finish=finish and finish.isoformat(),
                    owner=self.owners.get(task.get("UID"), ""))  # fmt: skip
        if kind != TASK:
            return item
        item.progress = min(max(_int(task.get("PercentComplete"), 0), 0), 100)
        item.capex, item.opex = (str(_money(extended.get(key))) for key in ("capex", "opex"))
        item.preds = self._links(task)
        return item

    def _day(self, task, tag: str):
        if not (text := task.get(tag)):
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.plan.problem(task.first(tag).line, f"{tag} “{text}” of “{task.get('Name')}” is not a date and time.")
            return None
        if tag == "Finish" and moment.time() == datetime.min.time():
            return (moment - timedelta(days=1)).date()
        return moment.date()

    def _extended(self, task) -> dict[str, str]:
        return {self.fields[a.get("FieldID")]: a.get("Value") for a in task.all("ExtendedAttribute")
                if a.get("FieldID") in self.fields}  # fmt: skip

    def _links(self, task) -> list[list]:
        links = []
        for link in task.all("PredecessorLink"):
            if link.get("CrossProject") == "1":
                self.plan.note(link.line, "A link to another project is left out.")
                continue
            if (kind := link.get("Type", FINISH_TO_START)) != FINISH_TO_START:
                name = {"0": "finish-to-finish", "2": "start-to-finish", "3": "start-to-start"}.get(kind, kind)
                self.plan.note(link.line, f"A {name} link of “{task.get('Name')}” is left out: PIT links tasks "
                               "finish-to-start only.")  # fmt: skip
                continue
            minutes = _int(link.get("LinkLag"), 0) / 10
            per_day = 1440 if link.get("LagFormat") in ELAPSED_LAG_FORMATS else self.minutes_per_day
            links.append([link.get("PredecessorUID"), round(minutes / per_day)])
        return links


def _children(root, group: str, tag: str):
    parent = root.first(group)
    return parent.all(tag) if parent is not None else []


def _int(text: str, default: int) -> int:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return default


def _money(text: str | None) -> Decimal:
    """MSPDI costs are in cents ("150000" is 1,500.00) when written by MS Project; values out of range read as 0."""
    try:
        amount = (Decimal(text) / 100).quantize(Decimal("0.01"))
    except (TypeError, ArithmeticError):
        return Decimal("0.00")
    return amount if 0 <= amount <= MONEY_LIMIT else Decimal("0.00")
