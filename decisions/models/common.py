"""What the decisions tables share."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from pit.tenancy import org_of

USER = settings.AUTH_USER_MODEL


def person(related_name: str = "+", *, null: bool = True, **kwargs):
    """A foreign key to a person of the organisation (PROTECT: people are deactivated, not deleted)."""
    return models.ForeignKey(USER, on_delete=models.PROTECT, related_name=related_name, null=null, blank=null, **kwargs)


def json_list(**kwargs):
    return models.JSONField(default=list, blank=True, **kwargs)


def same_org(row, org_id, *fields: str) -> None:
    """Every linked row (person, team, outcome, ...) must be of the row's organisation."""
    errors = {}
    for field in fields:
        linked = getattr(row, field, None) if getattr(row, f"{field}_id", None) else None
        if linked is not None and org_of(linked).pk != org_id:
            errors[field] = "Choose one from this organisation."
    if errors:
        raise ValidationError(errors)
