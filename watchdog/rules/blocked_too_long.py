"""A task blocked for `days` days or more (since it was marked blocked). Yellow; red after `red_days`."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, days, quoted

CODE = "BLOCKED_TOO_LONG"
TITLE = "Blocked too long"
SUBJECT = "task"
THRESHOLDS = {
    "days": Threshold(5, "Days blocked before a warning", minimum=1),
    "red_days": Threshold(14, "Days blocked before it turns red", minimum=1),
}

SINCE = "(COALESCE(t.blocked_at, t.updated_at) AT TIME ZONE %(tz)s)::date"
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN s.blocked >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' has been blocked for ' || {days("s.blocked")} || ' (since ' || {day("s.since")}
           || '): ' || t.blocked_reason,
       jsonb_build_object('name', t.name, 'blocked_days', s.blocked, 'reason', t.blocked_reason)
FROM {LIVE_OPEN_TASKS}
CROSS JOIN LATERAL (SELECT {SINCE} AS since, {TODAY} - {SINCE} AS blocked) s
WHERE {OPEN_TASK} AND t.status = 'blocked' AND s.blocked >= %(days)s
"""
