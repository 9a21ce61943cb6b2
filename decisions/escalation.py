"""Escalation: an open decision past its due time moves up one level at a time, each step recorded
(DECISION_ESCALATED) and the new holder told.

    level 0  its assignee (or owner)          — where every decision starts
    level 1  the manager of its team (the decision's team, else the assignee's first team)
    level 2  an organisation admin            — the top: nothing escalates further

A step with nobody to take it (no team manager, or the manager already holds it) is passed over; a decision an
admin already holds has nowhere to go. After an escalation the new holder has the organisation's
`escalation_interval_hours` before the next step.

`escalate_overdue` is the Celery beat job: set-based, one UPDATE ... RETURNING per chunk of decisions (the
targets found by joins in SQL, never a Python loop over decisions), then one audit INSERT per (organisation,
level, person) and one notification per person (a digest when one run gives them several decisions).
"""

import time
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.permissions import Role
from accounts.services import system_user
from decisions.enums import OPEN
from decisions.models import Decision
from decisions.models.decision import MAX_ESCALATION
from decisions.services import stakeholders
from decisions.services.common import now_or
from notifications.services import notify
from pit import audit
from pit.models import JobRun

CHUNK = 20_000
DEFAULT_INTERVAL_HOURS = 24

_STATUSES = ", ".join(f"'{status.value}'" for status in OPEN)

# One chunk of open decisions past due, locked; the next holder of each found by joins (the team manager for a
# decision at level 0, unless there is none or they already hold it, else the organisation's first active admin);
# then one UPDATE of them all. Hash joins against two small derived tables, not a subquery per decision.
ESCALATE_SQL = f"""
WITH due AS (
    SELECT d.id, d.org_id, d.escalation_level AS old_level, d.stakeholder_id, d.team_id,
           COALESCE(d.assigned_to_id, d.owner_id) AS assignee,
           COALESCE(d.escalated_to_id, d.assigned_to_id, d.owner_id) AS holder
      FROM decision d
      LEFT JOIN decision_settings s ON s.org_id = d.org_id
     WHERE d.status IN ({_STATUSES}) AND d.due_at < %(now)s AND d.escalation_level < {MAX_ESCALATION}
       AND (d.escalated_at IS NULL
            OR d.escalated_at <= %(now)s - make_interval(hours => COALESCE(s.escalation_interval_hours, %(interval)s)))
       AND d.id > %(after)s {{scope}}
     ORDER BY d.id
     LIMIT %(chunk)s
       FOR UPDATE OF d SKIP LOCKED
), admins AS (
    SELECT DISTINCT ON (u.org_id) u.org_id, u.id FROM "user" u
     WHERE u.role = '{Role.ORG_ADMIN.value}' AND u.is_active AND NOT u.is_system
       AND u.org_id IN (SELECT DISTINCT org_id FROM due)
     ORDER BY u.org_id, u.id
), first_team AS (
    SELECT DISTINCT ON (m.user_id) m.user_id, t.manager_id FROM team_membership m JOIN team t ON t.id = m.team_id
     WHERE m.user_id IN (SELECT DISTINCT assignee FROM due WHERE old_level = 0 AND team_id IS NULL)
     ORDER BY m.user_id, t.id
), step AS (
    SELECT due.*, COALESCE(own.manager_id, ft.manager_id) AS manager, a.id AS admin
      FROM due
      LEFT JOIN team own ON own.id = due.team_id AND due.old_level = 0
      LEFT JOIN first_team ft ON ft.user_id = due.assignee AND due.old_level = 0 AND due.team_id IS NULL
      LEFT JOIN admins a ON a.org_id = due.org_id
), target AS (
    SELECT step.*,
           CASE WHEN manager IS NOT NULL AND manager <> holder THEN 1 ELSE {MAX_ESCALATION} END AS new_level,
           CASE WHEN manager IS NOT NULL AND manager <> holder THEN manager ELSE admin END AS new_to
      FROM step
)
UPDATE decision d
   SET escalation_level = target.new_level, escalated_to_id = target.new_to, escalated_at = %(now)s,
       updated_at = %(now)s
  FROM target
 WHERE d.id = target.id AND target.new_to IS NOT NULL AND target.new_to <> target.holder
RETURNING d.id, d.org_id, target.old_level, target.new_level, target.new_to, target.stakeholder_id,
          (SELECT max(id) FROM due)
"""


def _run_chunk(now, after: int, org_id: int | None) -> tuple[list[tuple], int | None]:
    scope = "AND d.org_id = %(org)s" if org_id else ""
    params = {"now": now, "after": after, "chunk": CHUNK, "interval": DEFAULT_INTERVAL_HOURS, "org": org_id}
    with connection.cursor() as cursor:
        cursor.execute(ESCALATE_SQL.replace("{scope}", scope), params)
        rows = cursor.fetchall()
    return rows, (rows[0][6] if rows else None)


def _last_scanned(now, after: int, org_id: int | None) -> int | None:
    """When a chunk escalated nothing (nobody to escalate to), where the scan goes on from."""
    queryset = Decision.objects.overdue(now).filter(pk__gt=after).order_by("pk")
    if org_id:
        queryset = queryset.filter(org_id=org_id)
    ids = list(queryset.values_list("pk", flat=True)[:CHUNK])
    return ids[-1] if len(ids) == CHUNK else None


def _record(rows: list[tuple], now) -> None:
    """Audit rows (one INSERT per organisation, level and person) and stakeholder counters of one chunk."""
    groups = defaultdict(list)
    for pk, org_id, _old, level, to, _stakeholder, _last in rows:
        groups[(org_id, level, to)].append(pk)
    orgs = Organisation.objects.in_bulk({org_id for org_id, _, _ in groups})
    for (org_id, level, to), ids in groups.items():
        audit.record_rows(
            actor=system_user(orgs[org_id]), org=org_id, action="DECISION_ESCALATED", table_name="decision",
            record_ids=ids, after={"escalation_level": level, "escalated_to_id": to, "by": "SLA escalation job",
                                   "at": now.isoformat()},
        )  # fmt: skip
    firsts = defaultdict(int)
    for _pk, _org, old, _level, _to, stakeholder_id, _last in rows:
        if old == 0 and stakeholder_id:
            firsts[stakeholder_id] += 1
    for stakeholder_id, count in firsts.items():
        stakeholders.escalated_by(stakeholder_id, count)


def _tell(escalated_to: dict[int, list[int]]) -> None:
    """One notification per person per run: the decision escalated to them, or how many were and where to see
    them (a manager given 300 overdue decisions at once needs one message, not 300)."""
    people = User.objects.in_bulk(escalated_to)
    first = Decision.objects.select_related("org").in_bulk([ids[0] for ids in escalated_to.values()])
    for to, ids in escalated_to.items():
        decision = first[ids[0]]
        if len(ids) == 1:
            notify("decision_escalated", [people[to]], decision, reason="past its due time")
            continue
        message = f"{len(ids)} decisions past their due time were escalated to you, “{decision}” among them."
        link = reverse("decisions:list") + "?overdue=on"
        notify("decision_escalated", [people[to]], decision, message=message, link=link)


@transaction.atomic
def escalate_overdue(*, now=None, org=None) -> JobRun:
    """Escalate every open decision past its due time by one level (the beat job; running it twice in the same
    interval changes nothing more)."""
    now = now_or(now)
    started, clock = now, time.perf_counter()
    after, escalated, by_level, escalated_to = 0, 0, defaultdict(int), defaultdict(list)
    org_id = org.pk if org else None
    while True:
        rows, last = _run_chunk(now, after, org_id)
        if rows:
            _record(rows, now)
            escalated += len(rows)
            for row in rows:
                by_level[row[3]] += 1
                escalated_to[row[4]].append(row[0])
        last = last or _last_scanned(now, after, org_id)
        if last is None:
            break
        after = last
    if escalated_to:
        _tell(escalated_to)
    detail = {"by_level": dict(by_level), "seconds": round(time.perf_counter() - clock, 3)}
    return JobRun.objects.create(name="decision-escalation", started_at=started, finished_at=now_or(None),
                                 rows_changed=escalated, detail=detail)  # fmt: skip


def next_holder(decision: Decision):
    """Who a manual escalation gives the decision to, and at what level (the same ladder as the job)."""
    holder_id = decision.escalated_to_id or decision.assigned_to_id or decision.owner_id
    if decision.escalation_level == 0:
        manager = _manager_of(decision)
        if manager is not None and manager.pk != holder_id:
            return 1, manager
    admin = (
        User.objects.filter(org_id=decision.org_id, role=Role.ORG_ADMIN, is_active=True, is_system=False)
        .order_by("pk")
        .first()
    )
    return MAX_ESCALATION, admin


def _manager_of(decision: Decision):
    if decision.team_id:
        return decision.team.manager
    holder_id = decision.assigned_to_id or decision.owner_id
    membership = (
        User.objects.get(pk=holder_id).team_memberships.select_related("team__manager").order_by("team_id").first()
    )
    return membership.team.manager if membership else None


@transaction.atomic
def escalate(*, actor, decision: Decision, reason: str = "", now=None) -> Decision:
    """A person escalates a decision by hand: one level up the same ladder, recorded and told."""
    now = now_or(now)
    locked = Decision.objects.select_for_update(of=("self",)).select_related("org", "team__manager").get(pk=decision.pk)
    if locked.status not in OPEN:
        raise ValidationError(f"Only an open decision escalates; this one is {locked.get_status_display().lower()}.")
    if locked.escalation_level >= MAX_ESCALATION:
        raise ValidationError("This decision is already with an organisation admin: it cannot escalate further.")
    level, to = next_holder(locked)
    holder_id = locked.escalated_to_id or locked.assigned_to_id or locked.owner_id
    if to is None or to.pk == holder_id:
        raise ValidationError("There is nobody above its holder to escalate to.")
    before = {"escalation_level": locked.escalation_level, "escalated_to_id": locked.escalated_to_id}
    first = locked.escalation_level == 0
    locked.escalation_level, locked.escalated_to, locked.escalated_at = level, to, now
    locked.save(update_fields=["escalation_level", "escalated_to", "escalated_at", "updated_at"])
    audit.record(actor=actor, org=locked.org_id, action="DECISION_ESCALATED", instance=locked, before=before,
                 after={"escalation_level": level, "escalated_to_id": to.pk, "reason": reason.strip(),
                        "at": now.isoformat()})  # fmt: skip
    stakeholders.escalated_by(locked.stakeholder_id, 1 if first else 0)
    notify("decision_escalated", [to], locked, actor=actor, reason=reason.strip() or "by hand")
    return locked
