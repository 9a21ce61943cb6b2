"""The activity pages: the feeds (organisation, project, task) and a project's full "what changed since" list."""

from django.contrib import messages
from django.shortcuts import render

from accounts.permissions import ADMINISTER
from activity import feed, selectors
from activity.forms import ORG_ITEMS, PROJECT_ITEMS, FeedFilterForm
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project, Task


def _feed(request, *, title: str, items: dict, project=None, task=None, back=None):
    form = FeedFilterForm(request.GET or None, org=request.org, items=items)
    valid = form.is_valid() if form.is_bound else True
    filters = feed.Filters(**{k: v for k, v in form.cleaned_data.items() if v}) if form.is_bound and valid else None
    try:
        cursor = feed.Cursor.parse(request.GET.get("before", ""))
    except feed.BadCursor:
        messages.error(request, "That page link is not valid: showing the newest activity.")
        cursor = None
    result = None
    if valid:
        result = feed.page(request.org, filters=filters or feed.Filters(), cursor=cursor, project=project, task=task)
    query = request.GET.copy()
    query.pop("before", None)
    context = {"title": title, "form": form, "page": result, "query": query.urlencode(), "project": project,
               "task": task, "back": back, "first": cursor is None, "tz": request.org.tz}  # fmt: skip
    return render(request, "activity/feed.html", context)


@org_required(ADMINISTER)
def org_feed(request):
    return _feed(request, title=f"Activity in {request.org.name}", items=ORG_ITEMS)


@org_required()
def project_feed(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    return _feed(request, title=f"History of {project.name}", items=PROJECT_ITEMS, project=project, back=project)


@org_required()
def task_feed(request, pk: int):
    task = get_for_org_or_404(Task, request.org, pk=pk)
    return _feed(request, title=f"History of {task.name}", items={}, task=task, back=task)


@org_required()
def project_changes(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    asked = selectors.requested(request, project)
    rows = selectors.rows(asked["changes"]) if asked["changes"] else []
    return render(request, "activity/changes.html", {"project": project, "asked": asked, "rows": rows})
