"""A milestone whose forecast finish (the latest projected finish of its open tasks, watchdog.forecast) is more
than `grace_days` working days after its end date. Yellow; red when more than `red_days` working days after it."""

from calendars import sql as wd
from watchdog import forecast
from watchdog.rules import Threshold, day, quoted, working_days

CODE = "MILESTONE_AT_RISK"
TITLE = "Milestone at risk"
SUBJECT = "milestone"
THRESHOLDS = {
    "grace_days": Threshold(0, "Warn when the forecast is after the milestone's end by more than (working days)"),
    "red_days": Threshold(7, "Red when the forecast is after the milestone's end by more than (working days)"),
}

PLAN_END, RATE_N = forecast.finish_parts_sql()
SQL = f"""
SELECT m.project_id, 'milestone', m.id, m.owner_id,
       CASE WHEN l.late > %(red_days)s THEN 'red' ELSE 'yellow' END,
       'Milestone ' || {quoted("m.name")} || ' is forecast to finish ' || {day("f.finish")} || ', '
           || {working_days("l.late")} || ' after its end (' || {day("m.end_date")} || ').',
       jsonb_build_object('name', m.name, 'forecast', f.finish, 'end_date', m.end_date, 'days_late', l.late,
                          'open_tasks', f.open_tasks)
FROM (
    SELECT milestone_id, {forecast.finish_of("plan_end", "rate_n")} AS finish, open_tasks
    FROM (
        SELECT t.milestone_id, MAX({PLAN_END}) AS plan_end, MAX({RATE_N}) AS rate_n, COUNT(*) AS open_tasks
        FROM task t JOIN project p ON p.id = t.project_id {forecast.days_join()}
        WHERE {{scope}} AND t.deleted_at IS NULL AND t.status <> 'completed'
        GROUP BY t.milestone_id
    ) parts
) f
JOIN milestone m ON m.id = f.milestone_id AND m.deleted_at IS NULL
CROSS JOIN LATERAL (SELECT {wd.working_days_between("m.end_date", "f.finish")} AS late OFFSET 0) l
WHERE l.late > %(grace_days)s
"""
