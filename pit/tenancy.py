"""Tenancy: the organisation is the tenant (DESIGN.md section 5).

Every tenant-owned model declares `org_path`, the lookup from the row to its organisation, and uses
`OrgQuerySet`; every read goes through `.for_org(org)`. Views guard themselves with `pit.guards`.
A row of another organisation is a 404.
"""

from django.db import models
from django.http import Http404
from django.utils.functional import SimpleLazyObject


class OrgQuerySet(models.QuerySet):
    def for_org(self, org):
        if not org:  # anonymous, or a lazy request.org wrapping None
            return self.none()
        path = org_path_of(self.model)
        return self.filter(**{path: org})


OrgManager = models.Manager.from_queryset(OrgQuerySet)


def org_path_of(model) -> str | None:
    if model._meta.model_name == "organisation":
        return "pk"
    if hasattr(model, "org_path"):
        return model.org_path
    return "org" if any(f.name == "org" for f in model._meta.fields) else None


def org_of(obj):
    """The organisation a row belongs to, following its model's org_path."""
    path = org_path_of(type(obj))
    if path == "pk":
        return obj
    value = obj
    for part in path.split("__"):
        value = getattr(value, part)
    return value


def get_for_org_or_404(queryset_or_model, org, **lookup):
    queryset = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects
    try:
        return queryset.for_org(org).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None


def _org_of(request):
    user = request.user
    return user.org if user.is_authenticated else None


class TenancyMiddleware:
    """Sets request.org from the signed-in user (lazily: a page that never reads it costs nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.org = SimpleLazyObject(lambda: _org_of(request))
        return self.get_response(request)
