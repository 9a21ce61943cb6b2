"""A task not completed whose end date has passed, by at least one working day (of the organisation's calendar).
Yellow from the first working day late; red once it is `red_days` or more working days late."""

from calendars import sql as wd
from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, quoted, working_days

CODE = "TASK_OVERDUE"
TITLE = "Task overdue"
SUBJECT = "task"
THRESHOLDS = {"red_days": Threshold(7, "Working days late before it turns red", minimum=1)}

SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN l.late >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' is ' || {working_days("l.late")} || ' late (due ' || {day("t.end_date")} || ').',
       jsonb_build_object('name', t.name, 'days_late', l.late, 'end_date', t.end_date)
FROM {LIVE_OPEN_TASKS}
CROSS JOIN LATERAL (SELECT {wd.working_days_between("t.end_date", TODAY)} AS late OFFSET 0) l
WHERE {OPEN_TASK} AND t.end_date < {TODAY} AND l.late > 0
"""
