"""A task that requires evidence, is not completed, ends within `days` days or has ended, and has no evidence
uploaded (no live evidence row). Yellow; red once its end date has passed."""

from watchdog.rules import LIVE_OPEN_TASKS, OPEN_TASK, TODAY, Threshold, day, quoted

CODE = "EVIDENCE_MISSING"
TITLE = "Evidence missing"
SUBJECT = "task"
THRESHOLDS = {"days": Threshold(7, "Warn when a task needing evidence ends within this many days")}

SQL = f"""
SELECT t.project_id, 'task', t.id, t.owner_id,
       CASE WHEN t.end_date < {TODAY} THEN 'red' ELSE 'yellow' END,
       {quoted("t.name")} || ' needs evidence and has none uploaded; it '
           || CASE WHEN t.end_date < {TODAY} THEN 'ended ' ELSE 'ends ' END || {day("t.end_date")} || '.',
       jsonb_build_object('name', t.name, 'end_date', t.end_date)
FROM {LIVE_OPEN_TASKS}
WHERE {OPEN_TASK} AND t.requires_evidence AND t.end_date <= {TODAY} + %(days)s
  AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.task_id = t.id AND e.deleted_at IS NULL)
"""
