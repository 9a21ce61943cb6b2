"""An active task (started, not past its end, not completed, not blocked) whose progress has not changed for
`days` days or more, counted from its last progress change or its start, whichever is later. Yellow; red after
`red_days`. Overdue and blocked tasks have their own rules."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, days, quoted

CODE = "PROGRESS_STALLED"
TITLE = "Progress stalled"
SUBJECT = "task"
THRESHOLDS = {
    "days": Threshold(14, "Days without a progress change before a warning", minimum=1),
    "red_days": Threshold(28, "Days without a progress change before it turns red", minimum=1),
}

SINCE = "GREATEST((t.progress_changed_at AT TIME ZONE %(tz)s)::date, t.start_date)"
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN s.idle >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' has stayed at ' || t.progress_percent || ' %% for ' || {days("s.idle")}
           || ' (since ' || {day("s.since")} || ').',
       jsonb_build_object('name', t.name, 'idle_days', s.idle, 'progress', t.progress_percent)
FROM {LIVE_OPEN_TASKS}
CROSS JOIN LATERAL (SELECT {SINCE} AS since, {TODAY} - {SINCE} AS idle) s
WHERE {OPEN_TASK} AND t.status <> 'blocked' AND t.start_date <= {TODAY} AND t.end_date >= {TODAY}
  AND s.idle >= %(days)s
"""
