"""A task planned to start before a predecessor allows (finish-to-start: the first working day after the predecessor
ends, plus the lag in working days), while neither is completed. One alert per task, naming every predecessor it
breaks. Yellow; red when it starts `red_days` or more working days too early."""

from calendars import sql as wd
from watchdog.rules import Threshold, day, quoted, working_days

CODE = "DEPENDENCY_VIOLATION"
TITLE = "Starts before its predecessor allows"
SUBJECT = "task"
THRESHOLDS = {"red_days": Threshold(5, "Red when it starts this many working days too early, or more", minimum=1)}

ALLOWED = wd.add_working_days("pr.end_date", "1 + l.lag_days")
SQL = f"""
SELECT v.project_id, 'task', v.id, v.owner_id,
       CASE WHEN x.early >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("v.name")} || ' starts ' || {day("v.start_date")} || ', ' || {working_days("x.early")} || ' before '
           || v.names || ' allow' || CASE WHEN v.n = 1 THEN 's' ELSE '' END || ' (' || {day("v.allowed")} || ').',
       jsonb_build_object('name', v.name, 'days_early', x.early, 'earliest_start', v.allowed,
                          'predecessors', v.ids)
FROM (
    SELECT s.id, s.project_id, s.owner_id, s.name, s.start_date, MAX(a.allowed) AS allowed,
           COUNT(*) AS n, string_agg('“' || pr.name || '”', ', ' ORDER BY pr.end_date, pr.id) AS names,
           jsonb_agg(pr.id ORDER BY pr.end_date, pr.id) AS ids
    FROM task_dependency l
    JOIN project p ON p.id = l.project_id
    JOIN task s ON s.id = l.successor_id
    JOIN task pr ON pr.id = l.predecessor_id
    CROSS JOIN LATERAL (SELECT {ALLOWED} AS allowed OFFSET 0) a
    WHERE {{scope}} AND s.deleted_at IS NULL AND pr.deleted_at IS NULL
      AND s.status <> 'completed' AND pr.status <> 'completed' AND s.start_date < a.allowed
    GROUP BY s.id
) v
CROSS JOIN LATERAL (SELECT {wd.working_days_between("v.start_date", "v.allowed")} AS early OFFSET 0) x
"""
