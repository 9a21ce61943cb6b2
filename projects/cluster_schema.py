"""The shape of `task_cluster_template.template_json`, checked with JSON Schema (the jsonschema library).

    {"tasks": [{"name": "Site induction", "offset_days": 0, "duration_days": 1, "capex_cost": 0,
                "opex_cost": 400, "requires_evidence": true, "quick_class": "quick_win"}, ...]}

`offset_days` counts from the cluster's start date; a task runs `duration_days` days including its first.
"""

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator

from pit.enums import QuickClass

MONEY = {"type": "number", "minimum": 0}
TEMPLATE_SCHEMA = {
    "type": "object",
    "required": ["tasks"],
    "additionalProperties": False,
    "properties": {
        "tasks": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "duration_days"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "description": {"type": "string"},
                    "offset_days": {"type": "integer", "minimum": 0},
                    "duration_days": {"type": "integer", "minimum": 1},
                    "capex_cost": MONEY,
                    "opex_cost": MONEY,
                    "requires_evidence": {"type": "boolean"},
                    "quick_class": {"enum": QuickClass.values},
                },
            },
        }
    },
}
VALIDATOR = Draft202012Validator(TEMPLATE_SCHEMA)
TEMPLATE_HELP = (
    '{"tasks": [{"name": "Site induction", "offset_days": 0, "duration_days": 1, "capex_cost": 0, "opex_cost": 400, '
    '"requires_evidence": true, "quick_class": "quick_win"}]}. Each task starts offset_days after the cluster\'s '
    "start date and runs duration_days days; only name and duration_days are required."
)


def _where(path) -> str:
    where = "template"
    for part in path:
        where += f"[{part}]" if isinstance(part, int) else f".{part}"
    return where


def template_problems(data) -> list[str]:
    """What is wrong with a template's JSON and where, e.g. "template.tasks[1].duration_days: 0 is less than ..."."""
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{_where(error.absolute_path)}: {error.message}" for error in errors]


def validate_template(data) -> None:
    problems = template_problems(data)
    if problems:
        raise ValidationError({"template_json": problems})
