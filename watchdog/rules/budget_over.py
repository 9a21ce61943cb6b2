"""A financial year in which the project's planned CAPEX or OPEX (the sum of its tasks' costs, `project_budget`)
is above the budget approved for it (`project_budget_approved`, set in the admin). Yellow; red when over by more
than `red_percent` % of the approved amount."""

from watchdog.rules import Threshold

CODE = "BUDGET_OVER"
TITLE = "Over budget"
SUBJECT = "project_budget_approved"
THRESHOLDS = {"red_percent": Threshold(10, "Red when over the approved budget by more than (%)", maximum=1000)}

MONEY = "to_char({}, 'FM$999,999,999,990.00')"
SQL = f"""
SELECT p.id, 'project_budget_approved', a.id, p.owner_id,
       CASE WHEN o.capex > a.capex_approved * %(red_percent)s / 100.0
              OR o.opex > a.opex_approved * %(red_percent)s / 100.0 THEN 'red' ELSE 'yellow' END,
       'FY' || a.financial_year || ' of ' || '“' || p.name || '”' || ' is planned over its approved budget: '
           || concat_ws('; ',
                CASE WHEN o.capex > 0 THEN 'CAPEX ' || {MONEY.format("b.capex_total")} || ' of '
                     || {MONEY.format("a.capex_approved")} END,
                CASE WHEN o.opex > 0 THEN 'OPEX ' || {MONEY.format("b.opex_total")} || ' of '
                     || {MONEY.format("a.opex_approved")} END) || '.',
       jsonb_build_object('name', 'FY' || a.financial_year || ' budget of ' || p.name,
                          'financial_year', a.financial_year, 'capex_over', o.capex, 'opex_over', o.opex)
FROM project_budget_approved a
JOIN project p ON p.id = a.project_id
JOIN project_budget b ON b.project_id = a.project_id AND b.financial_year = a.financial_year
CROSS JOIN LATERAL (SELECT b.capex_total - a.capex_approved AS capex, b.opex_total - a.opex_approved AS opex) o
WHERE {{scope}} AND (o.capex > 0 OR o.opex > 0)
"""
