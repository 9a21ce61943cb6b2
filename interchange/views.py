"""Plan import (upload → preview → confirm) and export (MSPDI, XLSX) pages."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN, VIEW
from calendars.selectors import calendar_for_project
from interchange import selectors, services
from interchange.formats import mspdi_write, sheet
from interchange.forms import ImportForm
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project
from projects.views.common import add_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@org_required(PLAN)
def upload(request):
    initial = {"project": request.GET.get("project")} if request.GET.get("project", "").isdigit() else {}
    form = ImportForm(request.POST or None, request.FILES or None, org=request.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.stage(
                actor=request.user, org=request.org, data=_read_limited(upload), file_name=upload.name,
                project=form.cleaned_data["project"], project_name=form.cleaned_data["project_name"],
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("interchange:preview", pk=pending.pk)
    return render(request, "interchange/upload.html", {"form": form})


def _read_limited(upload) -> bytes:
    """The file's bytes, or just past the limit (the service refuses it): never more into memory."""
    return upload.read(settings.INTERCHANGE_MAX_UPLOAD_BYTES + 1)


@org_required(PLAN)
def preview(request, pk: int):
    pending = selectors.pending_for(request, pk)
    context = {"pending": pending, "preview": selectors.preview(pending, request.GET.get("page"))}
    return render(request, "interchange/preview.html", context)


@require_POST
@org_required(PLAN)
def confirm(request, pk: int):
    pending = selectors.pending_for(request, pk)
    try:
        project = services.confirm(actor=request.user, pending=pending)
    except services.ImportRefused as refused:
        pending.problems = refused.problems  # shown, not saved: the transaction was rolled back
        messages.error(request, refused.messages[0] + " The plan changed or the organisation did: see below.")
        context = {"pending": pending, "preview": selectors.preview(pending, 1)}
        return render(request, "interchange/preview.html", context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interchange:upload")
    messages.success(request, f"Imported “{pending.file_name}” into “{project}”.")
    return redirect(project.get_absolute_url())


@require_POST
@org_required(PLAN)
def discard(request, pk: int):
    pending = selectors.pending_for(request, pk)
    services.discard(actor=request.user, pending=pending)
    messages.success(request, f"Discarded the import of “{pending.file_name}”; nothing was written.")
    return redirect("interchange:upload")


@org_required(VIEW)
def export_mspdi(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    body = mspdi_write.write(project, selectors.plan_rows(project), calendar_for_project(project))
    return _download(body, "application/xml", f"{slugify(project.name) or 'plan'}.xml")


@org_required(VIEW)
def export_xlsx(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    body = sheet.write_xlsx(selectors.sheet_rows(selectors.plan_rows(project)), title=project.name)
    return _download(body, XLSX, f"{slugify(project.name) or 'plan'}.xlsx")


@org_required(VIEW)
def template(request, kind: str):
    if kind == "xlsx":
        return _download(sheet.write_xlsx(sheet.EXAMPLE, title="Plan"), XLSX, "pit-plan-template.xlsx")
    return _download(sheet.write_csv(sheet.EXAMPLE), "text/csv; charset=utf-8", "pit-plan-template.csv")


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
