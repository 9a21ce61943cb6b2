"""A task not completed whose owner can no longer act on it: the person is deactivated, or it is the
organisation's system account. Yellow; red when the task has started or starts within `red_days` days."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, quoted

CODE = "NO_OWNER"
TITLE = "No owner"
SUBJECT = "task"
THRESHOLDS = {"red_days": Threshold(7, "Red when the task starts within this many days (or has started)")}

SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN t.start_date <= {TODAY} + %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' has no active owner (' || u.name || CASE WHEN u.is_system THEN ' is the system account'
           ELSE ' is deactivated' END || '); it starts ' || {day("t.start_date")} || '.',
       jsonb_build_object('name', t.name, 'owner', u.name, 'start_date', t.start_date)
FROM {LIVE_OPEN_TASKS}
JOIN "user" u ON u.id = t.owner_id
WHERE {OPEN_TASK} AND (NOT u.is_active OR u.is_system)
"""
