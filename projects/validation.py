"""Rules a hierarchy row must keep, with messages a person can act on. Models' clean() calls these."""

from django.core.exceptions import ValidationError
from django.utils.formats import date_format


def _span(parent) -> str:
    return f"{date_format(parent.start_date, 'j M Y')} – {date_format(parent.end_date, 'j M Y')}"


def dates_within(child, parent, parent_label: str) -> None:
    errors = {}
    if child.start_date and child.start_date < parent.start_date:
        errors["start_date"] = f"Starts before its {parent_label} “{parent}” ({_span(parent)})."
    if child.end_date and child.end_date > parent.end_date:
        errors["end_date"] = f"Ends after its {parent_label} “{parent}” ({_span(parent)})."
    if errors:
        raise ValidationError(errors)


def same_org(field: str, user, org_id) -> None:
    if user is not None and user.org_id != org_id:
        raise ValidationError({field: "Choose someone from this organisation."})


def hierarchy_matches(child, parent, fields: tuple[str, ...], parent_label: str) -> None:
    """A child's milestone/project must be its parent's; the database refuses otherwise, so say it first."""
    for field in fields:
        mine, theirs = getattr(child, f"{field}_id"), getattr(parent, f"{field}_id")
        if mine is not None and mine != theirs:
            raise ValidationError(
                {field: f"The {parent_label} “{parent}” belongs to another {field}; choose one of this {field}'s."}
            )
