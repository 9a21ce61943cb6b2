"""A task not completed and still at 0 % that ends within `days` days (today included). Yellow; red when it ends
within `red_days` days (0 = today)."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, days, quoted

CODE = "TASK_DUE_SOON_NOT_STARTED"
TITLE = "Due soon, not started"
SUBJECT = "task"
THRESHOLDS = {
    "days": Threshold(5, "Warn when a task at 0 % ends within this many days"),
    "red_days": Threshold(1, "Red when it ends within this many days"),
}

LEFT = f"(t.end_date - {TODAY})"
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN {LEFT} <= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' ends ' || CASE WHEN {LEFT} = 0 THEN 'today' ELSE 'in ' || {days(LEFT)} END
           || ' (' || {day("t.end_date")} || ') and has not started (0 %%).',
       jsonb_build_object('name', t.name, 'days_left', {LEFT}, 'end_date', t.end_date)
FROM {LIVE_OPEN_TASKS}
WHERE {OPEN_TASK} AND t.progress_percent = 0 AND t.end_date >= {TODAY} AND t.end_date <= {TODAY} + %(days)s
"""
