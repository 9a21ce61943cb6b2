"""An active task (started, not past its end, not completed) slipping: its progress trails the share of its time
elapsed by more than `yellow_points` points, or its forecast finish (watchdog.forecast) is more than `grace_days`
after its deliverable's end. Red when it trails by more than `red_points` points or the forecast is more than
`red_days` after the deliverable's end. Once past its end a task is TASK_OVERDUE instead."""

from watchdog import forecast
from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, days, quoted

CODE = "SCHEDULE_SLIP"
TITLE = "Schedule slip"
SUBJECT = "task"
THRESHOLDS = {
    "yellow_points": Threshold(15, "Warn when progress trails the time elapsed by more than (points)", maximum=100),
    "red_points": Threshold(30, "Red when progress trails the time elapsed by more than (points)", maximum=100),
    "grace_days": Threshold(3, "Warn when the forecast is after the deliverable's end by more than (days)"),
    "red_days": Threshold(10, "Red when the forecast is after the deliverable's end by more than (days)"),
}

EXPECTED = f"LEAST(100, ({TODAY} - t.start_date + 1) * 100.0 / (t.end_date - t.start_date + 1))"
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN g.lag > %(red_points)s OR g.beyond > %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' is ' || t.progress_percent || ' %% done with ' || ROUND(f.expected)
           || ' %% of its time gone; at this rate it finishes ' || {day("f.finish")} || CASE WHEN g.beyond > 0
              THEN ', ' || {days("g.beyond")} || ' after its deliverable ends.' ELSE '.' END,
       jsonb_build_object('name', t.name, 'progress', t.progress_percent, 'expected', ROUND(f.expected),
                          'forecast', f.finish, 'beyond_parent_days', g.beyond)
FROM {LIVE_OPEN_TASKS}
JOIN deliverable d ON d.id = t.deliverable_id
CROSS JOIN LATERAL (SELECT {EXPECTED} AS expected, {forecast.finish_sql()} AS finish) f
CROSS JOIN LATERAL (SELECT f.expected - t.progress_percent AS lag, f.finish - d.end_date AS beyond) g
WHERE {OPEN_TASK} AND t.start_date <= {TODAY} AND t.end_date >= {TODAY}
  AND (g.lag > %(yellow_points)s OR g.beyond > %(grace_days)s)
"""
