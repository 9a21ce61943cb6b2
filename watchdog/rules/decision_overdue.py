"""An open decision (needs input, under discussion) past its due time, on a project directly or through its task
(decisions.querysets.DecisionQuerySet.overdue). Yellow; red once `red_hours` late or escalated to the last level.
Its owner is whoever must act now: the person it was escalated to, else the assignee, else the owner."""

from watchdog.rules import Threshold, quoted

CODE = "DECISION_OVERDUE"
TITLE = "Decision overdue"
SUBJECT = "decision"
URL = "/decisions/{subject_id}/"
THRESHOLDS = {"red_hours": Threshold(72, "Hours past due before it turns red", minimum=1)}

LATE = "floor(extract(epoch FROM now() - d.due_at) / 3600)::int"
SQL = f"""
SELECT p.id, 'decision', d.id, COALESCE(d.escalated_to_id, d.assigned_to_id, d.owner_id),
       CASE WHEN {LATE} >= %(red_hours)s OR d.escalation_level >= 2 THEN 'red' ELSE 'yellow' END,
       {quoted("d.title")} || ' was due ' || to_char(d.due_at AT TIME ZONE %(tz)s, 'FMDD Mon YYYY HH24:MI')
           || ' and is still undecided (' || {LATE} || ' h late).',
       jsonb_build_object('title', d.title, 'hours_late', {LATE}, 'escalation_level', d.escalation_level)
FROM decision d
LEFT JOIN task t ON t.id = d.task_id
JOIN project p ON p.id = COALESCE(d.project_id, t.project_id)
WHERE {{scope}} AND d.status IN ('NEEDS_INPUT', 'UNDER_DISCUSSION') AND d.due_at < now()
  AND (d.project_id IS NOT NULL OR t.deleted_at IS NULL)
"""
