"""An audit row in words people read: "Sam moved Install valves from 3 Mar to 10 Mar", "Ana set Pour slab to Done".

Each audit row becomes one sentence: its actor, then one clause per kind of change (dates, status, owner, progress,
costs, name, order), the first naming the item and the others saying "it"/"its". Rows the domains record with a
partial state (reordering, cascaded deletes, the status engine) say what they can.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from pit.enums import TaskStatus
from projects.gantt.scale import short_date
from projects.models import ProjectStatus

STATUS = {TaskStatus.COMPLETED.value: "Done"} | {
    value: label for value, label in (*TaskStatus.choices, *ProjectStatus.choices) if value != "completed"
}
COSTS = {"capex_cost": "CAPEX", "opex_cost": "OPEX", "capex_total": "CAPEX", "opex_total": "OPEX"}
ITEM_WORDS = {"task_dependency": "dependency", "notification_preference": "notification settings"}
VERBS = {
    "CREATE": "added", "DELETE": "deleted", "RESTORE": "restored", "LOGIN": "signed in", "LOGOUT": "signed out",
    "USER_CREATED": "added the person", "TEAM_MEMBER_ADDED": "added a team member to",
    "DECISION_ASSIGNED": "assigned", "DECISION_ESCALATED": "escalated", "DECISION_RESOLVED": "decided",
}  # fmt: skip
TRACKED = ("start_date", "end_date", "status", "owner_id", "progress_percent", *COSTS, "name", "order_index")


def item_word(table: str) -> str:
    return ITEM_WORDS.get(table, table.replace("_", " "))


def _day(value) -> str:
    try:
        return short_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value)


def money(value) -> str:
    try:
        return f"${Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def changed_fields(before: dict | None, after: dict | None) -> list[str]:
    """The tracked fields an UPDATE changed (a partial after-state only speaks for the fields it holds)."""
    before, after = before or {}, after or {}
    return [name for name in TRACKED if name in after and after[name] != before.get(name)]


def _dates(before: dict, after: dict, item: str) -> str:
    was = (before.get("start_date"), before.get("end_date"))
    now = (after.get("start_date", was[0]), after.get("end_date", was[1]))
    if None in was:
        return f"set the dates of {item} to {_day(now[0])} – {_day(now[1])}"
    shift = {(date.fromisoformat(n) - date.fromisoformat(w)).days for w, n in zip(was, now, strict=True)}
    if len(shift) == 1:  # the whole span moved
        return f"moved {item} from {_day(was[0])} to {_day(now[0])}"
    if was[0] == now[0]:
        return f"changed the end of {item} from {_day(was[1])} to {_day(now[1])}"
    if was[1] == now[1]:
        return f"changed the start of {item} from {_day(was[0])} to {_day(now[0])}"
    return f"rescheduled {item} from {_day(was[0])} – {_day(was[1])} to {_day(now[0])} – {_day(now[1])}"


def _clauses(before: dict, after: dict, names: dict, fields: list[str]):
    """One function (item, its) -> clause per kind of change: the first clause names the item, the others say "it"."""
    if "start_date" in fields or "end_date" in fields:
        yield lambda item, its: _dates(before, after, item)
    if "status" in fields:
        yield lambda item, its: f"set {item} to {STATUS.get(after['status'], after['status'])}"
    if "owner_id" in fields:
        was, now = names.get(before.get("owner_id"), "someone"), names.get(after["owner_id"], "someone")
        yield lambda item, its: f"handed {item} from {was} to {now}"
    if "progress_percent" in fields:
        was, now = before.get("progress_percent"), after["progress_percent"]
        yield (
            lambda item, its: (
                f"set {its} progress " + (f"from {was} % to {now} %" if was is not None else f"to {now} %")
            )
        )
    for field in (name for name in COSTS if name in fields):
        yield (
            lambda item, its, f=field: f"changed {its} {COSTS[f]} from {money(before.get(f, 0))} to {money(after[f])}"
        )
    if "name" in fields:
        yield lambda item, its: f"renamed {before.get('name') or item} to {after['name']}"
    if "order_index" in fields:
        yield lambda item, its: f"reordered {item}"


def actor(name: str, is_system: bool, after) -> str:
    """Who did it, as the sentence starts: a person's name, or what PIT did on its own."""
    if isinstance(after, dict) and isinstance(after.get("by"), str):
        return f"The {after['by']}"  # "The status engine"
    return "PIT" if is_system else name


def sentence(*, actor: str, action: str, table: str, name: str, before, after, names: dict) -> str:
    """One audit row as a sentence (`names`: person ids to names, for owner changes)."""
    before, after = before or {}, after or {}
    if action == "UPDATE":
        clauses = list(_clauses(before, after, names, changed_fields(before, after)))
        if not clauses:
            return f"{actor} edited {name}"
        first, *rest = clauses
        parts = [first(name, f"{name}’s")] + [clause("it", "its") for clause in rest]
        return f"{actor} " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
    verb = VERBS.get(action, action.replace("_", " ").lower())
    text = f"{actor} {verb} {item_word(table)} {name}"
    parent = after.get("with")
    if isinstance(parent, str) and ":" in parent:  # a cascade: deleted or restored with the row above it
        text += f" along with its {item_word(parent.split(':')[0])}"
    return text


def kinds(action: str, before, after) -> list[str]:
    """The kinds of change a row is, as the feed's filter names them."""
    if action in ("CREATE", "DELETE", "RESTORE"):
        return [{"CREATE": "added", "DELETE": "removed", "RESTORE": "restored"}[action]]
    if action != "UPDATE":
        return ["other"]
    fields = changed_fields(before, after)
    found = {"start_date": "dates", "end_date": "dates", "status": "status", "owner_id": "owner",
             "progress_percent": "progress"} | dict.fromkeys(COSTS, "costs")  # fmt: skip
    return sorted({found[f] for f in fields if f in found}) or ["other"]
