"""A task not completed whose end date has passed. Yellow from the first day late; red once it is `red_days` or
more days late."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, days, quoted

CODE = "TASK_OVERDUE"
TITLE = "Task overdue"
SUBJECT = "task"
THRESHOLDS = {"red_days": Threshold(7, "Days late before it turns red", minimum=1)}

LATE = f"({TODAY} - t.end_date)"
SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN {LATE} >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' is ' || {days(LATE)} || ' late (due ' || {day("t.end_date")} || ').',
       jsonb_build_object('name', t.name, 'days_late', {LATE}, 'end_date', t.end_date)
FROM {LIVE_OPEN_TASKS}
WHERE {OPEN_TASK} AND t.end_date < {TODAY}
"""
