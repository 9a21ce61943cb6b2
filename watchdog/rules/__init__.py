"""The watchdog's rules: one module per rule in this package, found by `registry()`. Adding a rule is adding a
module; nothing else changes (the scan, the settings form, the alerts page filters and the README table read the
registry).

A rule module defines:

- its docstring: what the rule finds and its severity ladder, in words (shown on the settings page);
- `CODE` (e.g. "TASK_OVERDUE"), `TITLE` (a short human name) and `SUBJECT` (the table its alerts are about);
- `THRESHOLDS`: {name: Threshold(default, label)}; an organisation may change each one (`WatchdogSettings`);
- optionally `URL`: where a subject is seen, as "/path/{subject_id}/" (also {project_id}); tasks, milestones and
  budgets have one already (`WatchdogAlert.subject_url`);
- `SQL`: one SELECT over the scanned projects returning exactly the columns
  (project_id, subject_table, subject_id, owner_id, severity, message, data), at most one row per subject,
  severity 'yellow' or 'red'. It must join `project p` and keep `{scope}` (a condition on `p`: the scan's
  organisation or project, live projects only) in its WHERE clause. Parameters: %(today)s (the organisation's
  date), %(tz)s (its time zone) and each threshold by name, e.g. %(red_days)s. Rules that count working days use
  calendars.sql's expressions over the `working_day` table the scan builds first, each in a LATERAL subquery with
  OFFSET 0 (so the planner computes it once per row instead of once per use).
"""

import pkgutil
from dataclasses import dataclass
from functools import cache
from importlib import import_module


@dataclass(frozen=True)
class Threshold:
    default: int
    label: str
    minimum: int = 0
    maximum: int = 3650


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    subject: str
    thresholds: dict[str, Threshold]
    sql: str
    doc: str
    url: str | None = None

    def values(self, overrides: dict | None) -> dict[str, int]:
        """This rule's thresholds: an organisation's own values over the defaults."""
        own = (overrides or {}).get(self.code, {})
        return {name: int(own.get(name, t.default)) for name, t in self.thresholds.items()}


def _rule_of(module) -> Rule:
    return Rule(
        code=module.CODE,
        title=module.TITLE,
        subject=module.SUBJECT,
        thresholds=dict(module.THRESHOLDS),
        sql=module.SQL,
        doc=" ".join((module.__doc__ or "").split()),
        url=getattr(module, "URL", None),
    )


@cache
def registry() -> dict[str, Rule]:
    """Every rule module of this package, by code, in code order."""
    rules = [_rule_of(import_module(f"{__name__}.{info.name}")) for info in pkgutil.iter_modules(__path__)]
    return {rule.code: rule for rule in sorted(rules, key=lambda rule: rule.code)}


# SQL pieces the rules share.
TODAY = "%(today)s::date"
LIVE_OPEN_TASKS = "task t JOIN project p ON p.id = t.project_id"
OPEN_TASK = "{scope} AND t.deleted_at IS NULL AND t.status <> 'completed'"


def day(expr: str) -> str:
    """A date as people read it: 3 Nov 2026."""
    return f"to_char({expr}, 'FMDD Mon YYYY')"


def days(expr: str) -> str:
    """`n day` / `n days`."""
    return f"(({expr})::text || CASE WHEN ({expr}) = 1 THEN ' day' ELSE ' days' END)"


def working_days(expr: str) -> str:
    """`n working day` / `n working days`."""
    return f"(({expr})::text || CASE WHEN ({expr}) = 1 THEN ' working day' ELSE ' working days' END)"


def quoted(expr: str) -> str:
    return f"('“' || {expr} || '”')"
