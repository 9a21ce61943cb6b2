"""Evidence that has waited for a reviewer `days` days or more: the current version of a live item whose review
state is pending, aged from when it became pending (evidence/models.py). Yellow; red after `red_days`."""

from watchdog.rules import TODAY, Threshold, day, days, quoted

CODE = "EVIDENCE_REVIEW_STALE"
TITLE = "Evidence review stale"
SUBJECT = "evidence"
URL = "/reviews/{subject_id}/"
THRESHOLDS = {
    "days": Threshold(3, "Days waiting for a reviewer before a warning", minimum=1),
    "red_days": Threshold(7, "Days waiting before it turns red", minimum=1),
}

SINCE = "(e.review_state_at AT TIME ZONE %(tz)s)::date"
SQL = f"""
SELECT t.project_id, 'evidence', e.id, t.owner_id,
       CASE WHEN s.waited >= %(red_days)s THEN 'red' ELSE 'yellow' END,
       {quoted("COALESCE(e.metadata->>'filename', 'Evidence')")} || ' on ' || {quoted("t.name")}
           || ' has waited ' || {days("s.waited")} || ' for a review (since ' || {day("s.since")} || ').',
       jsonb_build_object('task', t.name, 'task_id', t.id, 'waited_days', s.waited)
FROM evidence e
JOIN task t ON t.id = e.task_id
JOIN project p ON p.id = t.project_id
CROSS JOIN LATERAL (SELECT {SINCE} AS since, {TODAY} - {SINCE} AS waited) s
WHERE {{scope}} AND t.deleted_at IS NULL AND e.deleted_at IS NULL AND e.is_current
  AND e.review_state = 'pending' AND s.waited >= %(days)s
"""
