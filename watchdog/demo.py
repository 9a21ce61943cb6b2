"""Demo data for the watchdog: a little history the rules can see (stalled progress, long blocks, approved budgets
a few projects exceed), then one scan per organisation, so /alerts/ is alive after `make run`."""

from django.db import connection

from projects.models import Project
from watchdog.scan import scan
from watchdog.services import notify_due

HISTORY = [
    # a third of the started tasks last moved 0-39 days ago
    """UPDATE task t SET progress_changed_at = now() - make_interval(days => ((t.id * %(seed)s) %% 40)::int)
       FROM project p WHERE p.id = t.project_id AND p.org_id = ANY(%(orgs)s) AND t.id %% 3 = 0
         AND t.status NOT IN ('completed', 'not_started', 'upcoming')""",
    """UPDATE task t SET blocked_at = now() - make_interval(days => ((t.id * %(seed)s) %% 20)::int)
       FROM project p WHERE p.id = t.project_id AND p.org_id = ANY(%(orgs)s) AND t.status = 'blocked'""",
    # every seventh project's budget is approved at 85-99 % of what is planned for each year
    """INSERT INTO project_budget_approved (project_id, financial_year, capex_approved, opex_approved)
       SELECT b.project_id, b.financial_year, ROUND(b.capex_total * (85 + (b.project_id %% 15)) / 100, 2),
              b.opex_total
       FROM project_budget b JOIN project p ON p.id = b.project_id
       WHERE p.org_id = ANY(%(orgs)s) AND p.id %% 7 = 0 AND b.capex_total > 0
       ON CONFLICT DO NOTHING""",
]


def seed(orgs, *, seed: int) -> None:
    params = {"orgs": [org.pk for org in orgs], "seed": seed % 97 or 1}
    with connection.cursor() as cursor:
        for statement in HISTORY:
            cursor.execute(statement, params)
    for org in orgs:
        if Project.objects.filter(org=org).exists():
            scan(org=org)
            notify_due(org=org)
