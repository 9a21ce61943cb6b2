"""A plan read from a file, before it touches the database: the one shape every format parses into and every check
reads. It is stored as JSON between the preview and the confirmation (`PendingImport.plan`).

An item is a milestone, a deliverable or a task, in file order, with the index of its parent item and the row (or
XML line) it came from, so every problem can say where to look.
"""

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

MILESTONE, DELIVERABLE, TASK = "milestone", "deliverable", "task"
LEVELS = (MILESTONE, DELIVERABLE, TASK)
PARENT_LEVEL = {DELIVERABLE: MILESTONE, TASK: DELIVERABLE}
MAX_ITEMS = 20_000
LAG_LIMIT = 365  # the database's bound on a dependency's lag (task_dependency_lag)


@dataclass
class Item:
    row: int
    level: str
    name: str
    ref: str = ""  # what predecessors call it: the template's id, MSPDI's UID
    parent: int | None = None  # index of the parent item in Plan.items
    start: str | None = None  # ISO dates; None when missing or unreadable (the problem is recorded)
    finish: str | None = None
    owner: str = ""  # email; empty means the person importing
    capex: str = "0"
    opex: str = "0"
    progress: int = 0
    preds: list = field(default_factory=list)  # [[ref, lag in days], ...]

    @property
    def start_date(self) -> date | None:
        return date.fromisoformat(self.start) if self.start else None

    @property
    def finish_date(self) -> date | None:
        return date.fromisoformat(self.finish) if self.finish else None

    @property
    def costs(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.capex), Decimal(self.opex)


@dataclass
class Plan:
    source: str  # "mspdi", "xlsx" or "csv"
    title: str = ""
    items: list[Item] = field(default_factory=list)
    problems: list = field(default_factory=list)  # [{"row", "message"}]: refuse the import
    notes: list = field(default_factory=list)  # [{"row", "message"}]: what was adapted to fit PIT

    def problem(self, row: int, message: str) -> None:
        self.problems.append({"row": row, "message": message})

    def note(self, row: int, message: str) -> None:
        self.notes.append({"row": row, "message": message})

    def counts(self) -> dict:
        return {level: sum(item.level == level for item in self.items) for level in LEVELS} | {
            "dependencies": sum(len(item.preds) for item in self.items if item.level == TASK)
        }

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        return cls(**{**data, "items": [Item(**item) for item in data["items"]]})


def fill_summary_dates(plan: Plan) -> None:
    """A milestone or deliverable without dates spans its children (MS Project leaves them to be computed)."""
    children: dict[int, list[Item]] = {}
    for item in plan.items:
        if item.parent is not None:
            children.setdefault(item.parent, []).append(item)
    for index in reversed(range(len(plan.items))):  # children come after their parent: fill bottom-up
        item = plan.items[index]
        kids = children.get(index, [])
        if item.start is None and (starts := [kid.start for kid in kids if kid.start]):
            item.start = min(starts)
        if item.finish is None and (finishes := [kid.finish for kid in kids if kid.finish]):
            item.finish = max(finishes)


def index_by_ref(plan: Plan) -> dict[str, int]:
    """ref → index of the item, for the items that have one."""
    return {item.ref: index for index, item in enumerate(plan.items) if item.ref}
