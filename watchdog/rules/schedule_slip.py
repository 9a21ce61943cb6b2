"""An active task (started, not past its end, not completed) slipping: its progress trails the share of its working
days elapsed by more than `yellow_points` points, or its forecast finish (watchdog.forecast) is more than
`grace_days` working days after its deliverable's end. Red when it trails by more than `red_points` points or the
forecast is more than `red_days` working days after the deliverable's end. Once past its end a task is TASK_OVERDUE
instead."""

from calendars import sql as wd
from watchdog import forecast
from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, quoted, working_days

CODE = "SCHEDULE_SLIP"
TITLE = "Schedule slip"
SUBJECT = "task"
THRESHOLDS = {
    "yellow_points": Threshold(15, "Warn when progress trails the time elapsed by more than (points)", maximum=100),
    "red_points": Threshold(30, "Red when progress trails the time elapsed by more than (points)", maximum=100),
    "grace_days": Threshold(3, "Warn when the forecast is after the deliverable's end by more than (working days)"),
    "red_days": Threshold(10, "Red when the forecast is after the deliverable's end by more than (working days)"),
}

ELAPSED = f"GREATEST({wd.n(TODAY)} - s.n + s.working::int, 0)"  # s, e: the task's start and end days
PLANNED = "GREATEST(e.n - s.n + s.working::int, 1)"
EXPECTED = f"LEAST(100, {ELAPSED} * 100.0 / {PLANNED})"
BEYOND = wd.working_days_between("d.end_date", "f.finish")
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN g.lag > %(red_points)s OR g.beyond > %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' is ' || t.progress_percent || ' %% done with ' || ROUND(f.expected)
           || ' %% of its time gone; at this rate it finishes ' || {day("f.finish")} || CASE WHEN g.beyond > 0
              THEN ', ' || {working_days("g.beyond")} || ' after its deliverable ends.' ELSE '.' END,
       jsonb_build_object('name', t.name, 'progress', t.progress_percent, 'expected', ROUND(f.expected),
                          'forecast', f.finish, 'beyond_parent_days', g.beyond)
FROM {LIVE_OPEN_TASKS}
JOIN deliverable d ON d.id = t.deliverable_id {forecast.days_join()}
CROSS JOIN LATERAL (SELECT {EXPECTED} AS expected, {forecast.finish_sql()} AS finish OFFSET 0) f
CROSS JOIN LATERAL (SELECT f.expected - t.progress_percent AS lag, {BEYOND} AS beyond OFFSET 0) g
WHERE {OPEN_TASK} AND t.start_date <= {TODAY} AND t.end_date >= {TODAY}
  AND (g.lag > %(yellow_points)s OR g.beyond > %(grace_days)s)
"""
