"""Creating and revoking links (signed-in planners) and the shared page itself (anyone holding the link)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.permissions import PLAN
from evidence.models import Evidence
from pit import rls
from pit.context import client_ip
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project
from sharing import services
from sharing.forms import PasscodeForm, ShareLinkForm
from sharing.kinds import EVIDENCE_ITEM, KINDS, PROJECT_GANTT
from sharing.models import LinkState, ShareLink

GONE = {
    "unknown": (404, "This link does not exist. Check that you copied all of it, or ask whoever sent it."),
    LinkState.EXPIRED: (410, "This link has expired. Ask whoever shared it for a new one."),
    LinkState.USED_UP: (
        410,
        "This link has been opened as many times as it allows. Ask whoever shared it for a new one.",
    ),
    LinkState.REVOKED: (410, "This link was withdrawn by whoever shared it."),
    "removed": (410, "What this link showed is no longer available."),
}


@org_required(PLAN)
def share_project(request, pk: int):
    project = get_for_org_or_404(Project, request.org, pk=pk)
    return _share(request, PROJECT_GANTT, project, project.name)


@org_required(PLAN)
def share_evidence(request, pk: int):
    evidence = get_for_org_or_404(Evidence.objects.filter(is_current=True), request.org, pk=pk)
    return _share(request, EVIDENCE_ITEM, evidence, evidence.filename)


def _share(request, kind, subject, name: str):
    form = ShareLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link, token = services.create_link(actor=request.user, kind=kind.code, subject=subject, **form.cleaned_data)
        url = request.build_absolute_uri(reverse("sharing:open", args=[token]))
        messages.success(
            request,
            f"Link for {link.label} created: {url} — copy it now: PIT keeps only a fingerprint of it and cannot "
            "show it again.",
        )
        return redirect(kind.home(subject.pk))
    context = {"form": form, "kind": kind, "name": name, "back": kind.home(subject.pk)}
    return render(request, "sharing/share_form.html", context)


@require_POST
@org_required(PLAN)
def revoke(request, pk: int):
    link = get_for_org_or_404(ShareLink, request.org, pk=pk)
    if services.revoke_link(actor=request.user, link=link):
        messages.success(request, f"The link for {link.label} is revoked: it no longer opens.")
    else:
        messages.info(request, f"The link for {link.label} was already revoked.")
    return redirect(KINDS[link.kind].home(link.subject_id))


def shared_page(view):
    """Shared pages are kept out of search engines, caches and other sites' referrer logs."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return never_cache(wrapper)


def _gone(request, reason: str):
    status, message = GONE[reason]
    return render(request, "sharing/gone.html", {"message": message}, status=status)


@shared_page
def open_link(request, token: str):
    with rls.all_organisations():  # the token, not a signed-in person, says whose link this is
        link = services.find_link(token)
    if link is None:
        return _gone(request, "unknown")
    with rls.scope(org_id=link.org_id):  # and the page then sees that organisation only
        return _open(request, link)


def _open(request, link):
    if (state := link.state()) != LinkState.ACTIVE:
        return _gone(request, state)
    kind = KINDS.get(link.kind)
    subject = kind.load(link.org, link.subject_id) if kind else None
    if subject is None:
        return _gone(request, "removed")
    if link.passcode_hash and not request.session.get(f"sharing:{link.pk}"):
        return _passcode(request, link)
    if not services.record_view(link):  # another viewer took the last view a moment ago
        link.refresh_from_db()
        return _gone(request, link.state())
    template, context = kind.page(link, subject)
    return render(request, template, {**context, "link": link, "kind": kind})


def _passcode(request, link):
    form = PasscodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = services.try_passcode(link, form.cleaned_data["passcode"], client_ip(request))
        if outcome == "ok":
            request.session[f"sharing:{link.pk}"] = True
            return redirect(request.path)
        if outcome == "wrong":
            form.add_error("passcode", "That passcode is not right.")
            status = 403
        else:
            minutes = settings.SHARE_PASSCODE_WINDOW // 60
            form.add_error(None, f"Too many wrong passcodes. Wait {minutes} minutes, then try again.")
            status = 429
    return render(request, "sharing/passcode.html", {"form": form, "link": link}, status=status)
