"""The portfolio dashboard (`/`) and the project list (`/projects/`): one table, filtered, sorted, paginated."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import PLAN, has_perm
from accounts.selectors import memberships_of
from pit.guards import org_required
from projects import selectors
from projects.forms import PortfolioFilterForm

PAGE_SIZE = 25


def _portfolio_context(request, *, deleted=False) -> dict:
    form = PortfolioFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.portfolio(request.org, filters, deleted=deleted)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort = filters.get("sort") or "start"
    query.pop("sort", None)
    return {
        "form": form,
        "page": page,
        "projects": projects,
        "query": query.urlencode(),
        "sort": sort,
        "filtered": bool(filters and any(v for k, v in filters.items() if k != "sort")),
        "can_plan": has_perm(request.user, PLAN),
        "today": request.org.today(),
    }


@org_required()
def dashboard(request):
    context = _portfolio_context(request)
    context["headline"] = selectors.headline(context.pop("projects"))
    context["memberships"] = memberships_of(request.user)
    return render(request, "projects/dashboard.html", context)


@org_required()
def project_list(request):
    deleted = request.GET.get("deleted") == "1"
    if deleted and not has_perm(request.user, PLAN):
        raise PermissionDenied("Only planners see and restore deleted projects.")
    context = _portfolio_context(request, deleted=deleted)
    context["deleted"] = deleted
    return render(request, "projects/project_list.html", context)
