from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.models import ApiToken, UserSession
from pit.guards import org_required
from pit.rls import across_organisations


@method_decorator(across_organisations, name="dispatch")
class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_login(self.request, form.get_user())
        return response


@method_decorator(across_organisations, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Finds the person by email before anyone is signed in."""


@method_decorator(across_organisations, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link names a person (and sets their password) before anyone is signed in."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.revoke_all_sessions(actor=form.user, user=form.user, reason="password_reset")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # keeps this device signed in under a new session id
        services.password_changed(self.request, form.user, old_session_key=old_key)
        return response


@require_POST
def logout_view(request):
    services.end_session(request)
    messages.info(request, "You are signed out.")
    return redirect("login")


@org_required()
def sessions_view(request):
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": selectors.active_sessions(request.user),
            "current_key": request.session.session_key,
            "tokens": selectors.active_tokens(request.user),
        },
    )


@require_POST
@org_required()
def revoke_session_view(request, pk: int):
    sessions = UserSession.objects.filter(pk=pk).exclude(session_key=request.session.session_key)
    if services.revoke_sessions(actor=request.user, sessions=sessions):
        messages.success(request, "That session is signed out.")
    else:
        messages.error(request, "That session is not one of your active sessions.")
    return redirect("sessions")


@require_POST
@org_required()
def revoke_other_sessions_view(request):
    sessions = UserSession.objects.exclude(session_key=request.session.session_key)
    count = services.revoke_sessions(actor=request.user, sessions=sessions)
    messages.success(request, f"Signed out {count} other session{'s' if count != 1 else ''}.")
    return redirect("sessions")


@require_POST
@org_required()
def revoke_token_view(request, pk: int):
    tokens = ApiToken.objects.filter(pk=pk, user=request.user)
    if services.revoke_tokens(actor=request.user, tokens=tokens, reason="revoked on the sessions page"):
        messages.success(request, "That device is signed out.")
    else:
        messages.error(request, "That device is not one of your signed-in devices.")
    return redirect("sessions")
