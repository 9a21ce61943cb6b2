"""The calendar pages: the organisation's working calendar (org admins edit it) and a project's exceptions
(planners edit them). Every change goes through calendars.services and comes back here, or shows its errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import ADMINISTER, PLAN, has_perm
from calendars import selectors, services
from calendars.forms import CalendarForm, ExceptionForm, HolidayForm, LoadYearForm, RenameForm
from calendars.models import Holiday, ProjectDayException
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project
from projects.views.common import add_errors

ORG_PAGE = "calendars:org"


def _org_page(request, *, status=200, **forms):
    today = request.org.today()
    page = selectors.calendar_page(request.org, today)
    calendar = page["calendar"]
    initial = {"weekdays": calendar.weekdays, "country": calendar.country, "subdivision": calendar.subdivision}
    context = page | {
        "can_edit": has_perm(request.user, ADMINISTER),
        "settings_form": forms.get("settings_form") or CalendarForm(initial=initial),
        "load_form": forms.get("load_form") or LoadYearForm(initial={"year": today.year + 1}),
        "holiday_form": forms.get("holiday_form") or HolidayForm(),
        "rename_errors": forms.get("rename_errors", {}),
    }
    return render(request, "calendars/org_calendar.html", context, status=status)


def _attempt(form, write) -> bool:
    """Run the service when the form is valid; a refusal lands on the form. True when it was done; what the service
    returned is kept on the form as `result`."""
    if not form.is_valid():
        return False
    try:
        form.result = write(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True


@org_required()
def org_calendar(request):
    if request.method != "POST":
        return _org_page(request)
    if not has_perm(request.user, ADMINISTER):
        raise PermissionDenied("Only organisation admins change the working calendar.")
    form = CalendarForm(request.POST)
    if not _attempt(form, lambda data: services.save_calendar(actor=request.user, org=request.org, **data)):
        return _org_page(request, status=400, settings_form=form)
    messages.success(request, "Working calendar saved.")
    return redirect(ORG_PAGE)


@require_POST
@org_required(ADMINISTER)
def load_year(request):
    form = LoadYearForm(request.POST)
    if not _attempt(form, lambda data: services.load_holidays(actor=request.user, org=request.org, **data)):
        return _org_page(request, status=400, load_form=form)
    year = form.cleaned_data["year"]
    messages.success(request, f"Loaded {form.result} public holidays of {year}." if form.result else
                     f"The public holidays of {year} were loaded before: nothing to add.")  # fmt: skip
    return redirect(ORG_PAGE)


@require_POST
@org_required(ADMINISTER)
def holiday_add(request):
    form = HolidayForm(request.POST)
    if not _attempt(form, lambda data: services.add_holiday(actor=request.user, org=request.org, **data)):
        return _org_page(request, status=400, holiday_form=form)
    messages.success(request, f"Added {form.cleaned_data['name']} on {form.cleaned_data['day']:%d %b %Y}.")
    return redirect(ORG_PAGE)


@require_POST
@org_required(ADMINISTER)
def holiday_rename(request, pk: int):
    holiday = get_for_org_or_404(Holiday, request.org, pk=pk)
    form = RenameForm(request.POST)
    if not _attempt(form, lambda data: services.rename_holiday(actor=request.user, holiday=holiday, **data)):
        return _org_page(request, status=400, rename_errors={holiday.pk: " ".join(form.errors.get("name", []))})
    messages.success(request, f"Renamed the holiday on {holiday.date:%d %b %Y} to {holiday.name}.")
    return redirect(ORG_PAGE)


@require_POST
@org_required(ADMINISTER)
def holiday_remove(request, pk: int):
    holiday = get_for_org_or_404(Holiday, request.org, pk=pk)
    services.remove_holiday(actor=request.user, holiday=holiday)
    messages.success(request, f"{holiday.name} ({holiday.date:%d %b %Y}) is a working day again.")
    return redirect(ORG_PAGE)


@org_required()
def project_calendar(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    can_plan = has_perm(request.user, PLAN)
    form, status = ExceptionForm(), 200
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied("Your role does not allow planning.")
        form = ExceptionForm(request.POST)
        if _attempt(form, lambda data: services.add_exception(actor=request.user, project=project, **data)):
            messages.success(request, f"Added an exception on {form.cleaned_data['day']:%d %b %Y}.")
            return redirect("calendars:project", pk=project.pk)
        status = 400
    context = {"project": project, "exceptions": selectors.project_exceptions(project), "form": form,
               "can_plan": can_plan}  # fmt: skip
    return render(request, "calendars/project_calendar.html", context, status=status)


@require_POST
@org_required(PLAN)
def exception_remove(request, pk: int):
    exception = get_for_org_or_404(ProjectDayException.objects.select_related("project"), request.org, pk=pk)
    services.remove_exception(actor=request.user, exception=exception)
    messages.success(request, f"Removed the exception on {exception.date:%d %b %Y}.")
    return redirect(reverse("calendars:project", args=[exception.project_id]))
