"""The scan's `ai_summary`: what changed since the last scan, in plain words.

No AI router exists yet, so this is the deterministic template the router's summary job would replace: new reds
(by rule), resolved alerts, how many are open, and the projects with the most red alerts. Same input, same text.
"""

from watchdog.rules import registry


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
