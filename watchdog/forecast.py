"""Projected finish dates, earned-schedule style (a plain module: the AI router's `scheduling_model` can wrap it).

For a task with planned start S and end E (planned duration PD = E − S + 1 days) that is P % done on day T
(actual time AT = T − S + 1 days), with 0 < P < 100:

    ES      = PD × P / 100        earned schedule: the days of the plan the work done so far is worth
    SPI(t)  = ES / AT             schedule performance index: 1 on plan, below 1 behind, above 1 ahead
    EAC(t)  = PD / SPI(t)         the duration the task takes if it keeps its rate so far  (= AT × 100 / P)
    finish  = S + ⌈EAC(t)⌉ − 1

so a task half done halfway through finishes on E, and one a quarter done halfway through takes twice as long.
Where there is no rate yet: a completed task has no forecast (it is done); a task that has not started (T < S)
finishes on E (the plan holds); a started task still at 0 % is given its whole planned duration from today,
max(E, T + PD − 1).

A milestone finishes when its last open task does: its projected finish is the latest projected finish of its
live, not completed tasks (none left: no forecast).

Days are working days of the project's calendar (calendars.selectors.calendar_for_project) where one is given:
PD and AT count working days, the finish is the ⌈EAC(t)⌉-th working day from S, and days late are working days
from the end to the finish. Without a calendar every day counts.

`task_finish` is the rule in Python, `finish_sql` the same rule as a SQL expression over the organisation's working
days (calendars.sql; the watchdog's SCHEDULE_SLIP and MILESTONE_AT_RISK use it over whole organisations); tests
keep the two in step.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from django.db import connection, transaction

from calendars import sql as wd
from calendars.workdays import WorkingCalendar
from pit.enums import TaskStatus
from projects.gantt import chart as c
from projects.gantt.schedule import EVERY_DAY

DAY = timedelta(days=1)


def task_finish(start: date, end: date, progress: int, today: date, *, completed: bool = False,
                calendar: WorkingCalendar | None = None) -> date | None:  # fmt: skip
    if completed or progress >= 100:
        return None
    cal = calendar or EVERY_DAY
    elapsed = cal.working_days_in(start, today)
    if today < start or (elapsed == 0 and progress > 0):  # not started, or no working day yet to measure a rate
        return end
    planned = max(cal.working_days_in(start, end), 1)
    if progress <= 0:
        return max(end, cal.add_working_days(today - DAY, planned))
    return cal.add_working_days(start - DAY, math.ceil(elapsed * 100 / progress))


def days_join(t: str = "t") -> str:
    """The joins `finish_sql` needs: the task's start (`s`) and end (`e`) in the `working_day` table that
    calendars.sql.prepare builds for the transaction (hash-joined, not looked up row by row)."""
    return (f"JOIN working_day s ON s.day = {wd.clamped(f'{t}.start_date')} "
            f"JOIN working_day e ON e.day = {wd.clamped(f'{t}.end_date')}")  # fmt: skip


def finish_parts_sql(t: str = "t", today: str = "%(today)s::date") -> tuple[str, str]:
    """`task_finish` in two parts over `t` joined with `days_join`: a date the finish is at least (the plan's end)
    and the number of the working day it is at least (the rate's finish), either NULL; the finish is the later of
    the two. Kept apart so that a milestone takes the maximum of each over its tasks and converts one number."""
    now_n, now_w = wd.n(today), wd.working(today)
    elapsed = f"GREATEST({now_n} - s.n + s.working::int, 0)"
    planned = "GREATEST(e.n - s.n + s.working::int, 1)"
    done = f"{t}.status = 'completed' OR {t}.progress_percent >= 100"
    plan_end = f"""(CASE WHEN {done} THEN NULL
        WHEN {today} < {t}.start_date OR {t}.progress_percent <= 0 OR {elapsed} = 0 THEN {t}.end_date END)"""
    rate_n = f"""(CASE WHEN {done} OR {today} < {t}.start_date THEN NULL
        WHEN {t}.progress_percent <= 0 THEN {now_n} - {now_w} + {planned}
        WHEN {elapsed} = 0 THEN NULL
        ELSE s.n - s.working::int + CEIL({elapsed} * 100.0 / {t}.progress_percent)::int END)"""
    return plan_end, rate_n


def finish_of(plan_end: str, rate_n: str) -> str:
    return f"GREATEST({plan_end}, CASE WHEN {rate_n} IS NOT NULL THEN {wd.nth(rate_n)} END)"


def finish_sql(t: str = "t", today: str = "%(today)s::date") -> str:
    """`task_finish` over `t` joined with `days_join(t)` (NULL for completed tasks), in working days of the
    organisation's calendar."""
    return finish_of(*finish_parts_sql(t, today))


@dataclass(frozen=True)
class Forecast:
    finish: date
    planned: date
    days_late: int  # working days from the planned end to the finish (negative: ahead)


def for_task(task, today: date, calendar: WorkingCalendar | None = None) -> Forecast | None:
    finish = task_finish(task.start_date, task.end_date, task.progress_percent, today,
                         completed=task.status == TaskStatus.COMPLETED, calendar=calendar)  # fmt: skip
    if not finish:
        return None
    return Forecast(finish, task.end_date, (calendar or EVERY_DAY).working_days_between(task.end_date, finish))


def for_milestones(org, milestone_ids, today: date) -> dict[int, date]:
    """Projected finish of each of these milestones (those with open tasks) of `org`."""
    sql = f"""SELECT t.milestone_id, MAX({finish_sql()}) FROM task t {days_join()}
              WHERE t.milestone_id = ANY(%(ids)s) AND t.deleted_at IS NULL AND t.status <> 'completed'
              GROUP BY t.milestone_id"""
    with transaction.atomic(), connection.cursor() as cursor:
        wd.prepare(cursor, org.pk, today)
        cursor.execute(sql, {"ids": list(milestone_ids), "today": today})
        return dict(cursor.fetchall())


@cache  # a chart repeats the same few hundred dates thousands of times
def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def gantt_ghosts(data: dict, today: date, calendar: WorkingCalendar | None = None) -> dict[int, date]:
    """{task id: projected finish} for the chart's task rows that will finish after their end: the Gantt draws
    these as ghost bars. Read from the chart's rows (cached or not) and today, so never stale."""
    found, today_iso = {}, today.isoformat()
    for row in data["rows"]:
        if row[c.KIND] != c.TASK_ROW or row[c.STATUS] == TaskStatus.COMPLETED or row[c.START] > today_iso:
            continue  # done, or not started (the plan holds): no ghost
        planned = _day(row[c.END])
        finish = task_finish(_day(row[c.START]), planned, row[c.PROGRESS], today, calendar=calendar)
        if finish and finish > planned:
            found[row[c.ID]] = finish
    return found
