"""The scan's `ai_summary`: what changed since the last scan, in plain words.

Every scan writes the deterministic template (new reds by rule, resolved alerts, how many are open, the projects
with the most red alerts; same input, same text). When the organisation's `watchdog_summary` job is routed to a
configured model (pit/ai.py), a Celery job after the scan's commit asks it to rewrite that summary from the scan's
facts, and keeps the template if the model is down or answers nothing: the scan never waits for a model.
"""

import json

from pit import ai
from watchdog.rules import registry

JOB = "watchdog_summary"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write(changes: dict, open_by_severity: dict, worst: list, *, scanned: int) -> str:
    red, yellow = open_by_severity.get("red", 0), open_by_severity.get("yellow", 0)
    alerts = _count(red + yellow, "open alert")
    lines = [f"Scanned {_count(scanned, 'project')}: {alerts} ({red} red, {yellow} yellow)."]
    if not (changes["updated"] or changes["resolved"]):
        lines.append("Nothing changed since the last scan.")
    else:
        rules = registry()
        new_red = changes["new_red_by_rule"]
        if new_red:
            named = ", ".join(f"{rules[code].title if code in rules else code} ×{n}" for code, n in new_red.items())
            lines.append(f"New red: {sum(new_red.values())} ({named}).")
        else:
            lines.append("No new red alerts.")
        lines.append(
            f"{changes['new']} new, {changes['raised']} raised, {changes['lowered']} lowered, "
            f"{changes['resolved']} resolved ({changes['resolved_red']} of them red)."
        )
    if worst:
        lines.append("Worst: " + "; ".join(f"{name} ({n_red} red)" for name, n_red, _ in worst) + ".")
    return " ".join(lines)


def prompt(facts: dict) -> list[dict]:
    return [
        {"role": "system", "content": "You summarise a project watchdog scan for busy managers in at most three "
         "plain sentences: new red alerts and their rules, what was resolved, the worst projects. Use only the "
         "facts given; no greeting, no advice."},
        {"role": "user", "content": json.dumps(facts)},
    ]  # fmt: skip


def parse(text: str) -> ai.AiResult:
    text = text.strip()
    if not text:
        raise ai.AiBadResponse("the model wrote no summary")
    return ai.AiResult(text=text[:2000])


def wanted(org) -> bool:
    """A model rewrites this organisation's summaries only when its route goes to one (not the template)."""
    return ai.route(org, JOB)[1] != ai.OFFLINE


def rewrite(log) -> bool:
    """Ask the routed model for the scan's summary; True when it replaced the template."""
    facts = {"summary": log.ai_summary, "projects_scanned": log.projects_scanned, **log.detail}
    result = ai.run(JOB, org=log.org, payload=facts, subject=f"watchdog_scan_log:{log.pk}")
    if result is None or not result.text:
        return False
    type(log).objects.filter(pk=log.pk).update(ai_summary=result.text)
    return True
