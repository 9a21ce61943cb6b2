"""Working days in set-based SQL (the watchdog's rules): a temporary table of the organisation's days around today,
each numbered by the working days up to it, so that counting working days and adding them are index lookups.

`prepare(cursor, org_id, today)` builds `working_day` (day, n, working) for the transaction, from WINDOW_BEFORE
years before today to WINDOW_AFTER years after; `n` is the number of working days from the window's first day up
to and including `day`. The organisation's calendar only: a project's own exceptions are not seen here. The
expressions below take SQL date expressions; a date before the window counts as its first day, after it as its
last (a forecast decades late is simply "very late").
"""

from datetime import date, timedelta

from calendars.selectors import calendar_for_org

WINDOW_BEFORE, WINDOW_AFTER = 5, 15  # years

STATEMENTS = (
    "DROP TABLE IF EXISTS pg_temp.working_day",
    """CREATE TEMP TABLE working_day ON COMMIT DROP AS
       SELECT d.day, (SUM(d.working::int) OVER (ORDER BY d.day))::int AS n, d.working
       FROM (
           SELECT g::date AS day,
                  ((EXTRACT(ISODOW FROM g)::int - 1) = ANY(%(weekdays)s::int[]) AND c.day IS NULL)
                  OR o.day IS NOT NULL AS working
           FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') g
           LEFT JOIN unnest(%(closed)s::date[]) c(day) ON c.day = g::date
           LEFT JOIN unnest(%(opened)s::date[]) o(day) ON o.day = g::date
       ) d""",
    "CREATE UNIQUE INDEX ON working_day (day)",
    "CREATE INDEX ON working_day (n) WHERE working",
    "ANALYZE working_day",
)


def window(today: date) -> tuple[date, date]:
    return today - timedelta(days=365 * WINDOW_BEFORE), today + timedelta(days=365 * WINDOW_AFTER)


def prepare(cursor, org_id: int, today: date) -> None:
    """Build `working_day` for this transaction (run it inside one: the table drops on commit), from the
    organisation's calendar (one query)."""
    calendar = calendar_for_org(org_id)
    first, last = window(today)
    params = {"first": first, "last": last, "weekdays": sorted(calendar.weekdays), "closed": list(calendar.closed),
              "opened": list(calendar.opened)}  # fmt: skip
    for statement in STATEMENTS:
        cursor.execute(statement, params)


def clamped(day: str) -> str:
    """`day`, or the window's nearest end when it falls outside (the bounds are computed once per statement)."""
    return f"LEAST(GREATEST({day}, (SELECT MIN(day) FROM working_day)), (SELECT MAX(day) FROM working_day))"


def n(day: str) -> str:
    """Working days from the window's start up to and including `day`."""
    return f"(SELECT wd.n FROM working_day wd WHERE wd.day = {clamped(day)})"


def working(day: str) -> str:
    """1 when `day` is a working day, else 0."""
    return f"(SELECT wd.working::int FROM working_day wd WHERE wd.day = {clamped(day)})"


def nth(number: str) -> str:
    """The working day numbered `number` (the window's last day beyond it)."""
    return (
        f"COALESCE((SELECT wd.day FROM working_day wd WHERE wd.working AND wd.n = {number}),"
        " (SELECT MAX(day) FROM working_day))"
    )


def working_days_in(first: str, last: str) -> str:
    """Working days from `first` to `last`, both included (0 when `last` is before `first`)."""
    return f"GREATEST({n(last)} - {n(first)} + {working(first)}, 0)"


def working_days_between(start: str, end: str) -> str:
    """Working days after `start` up to and including `end` (negative backwards), as WorkingCalendar counts them."""
    return f"({n(end)} - {n(start)} + CASE WHEN {end} < {start} THEN {working(start)} - {working(end)} ELSE 0 END)"


def add_working_days(day: str, count: str) -> str:
    """The date `count` working days after `day` (before it when negative; `day` itself for 0)."""
    return (
        f"(CASE WHEN ({count}) > 0 THEN {nth(f'{n(day)} + ({count})')}"
        f" WHEN ({count}) = 0 THEN {day}"
        f" ELSE {nth(f'{n(day)} - {working(day)} + ({count}) + 1')} END)"
    )
