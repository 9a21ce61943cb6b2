"""Sign in a device (a token), sign it out, and who am I."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts import services
from accounts.api.serializers import MeOut, TokenInput, TokenOut
from accounts.api.throttles import SignInByAddress, SignInByEmail
from accounts.models import ApiToken
from pit import rls
from pit.api.schema import ErrorOut
from pit.api.views import ApiView

WRONG = "That email and password do not match an active account."
LOCKED = "Too many failed sign-ins: this account is locked for a while. Try again later or reset the password."


class TokenView(ApiView):
    """POST: email + password → a token for this device. DELETE: sign this device out (revoke its token)."""

    atomic = False  # a failed attempt must be counted (lockout), not rolled back

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    def get_throttles(self):
        return [SignInByAddress(), SignInByEmail()] if self.request.method == "POST" else []

    def perform_authentication(self, request):
        if request.method != "POST":  # signing in ignores whatever stale token the device still sends
            super().perform_authentication(request)

    @extend_schema(
        request=TokenInput,
        responses={
            201: TokenOut,
            400: OpenApiResponse(ErrorOut, description="Missing or malformed fields"),
            401: OpenApiResponse(ErrorOut, description="Wrong email or password"),
            403: OpenApiResponse(ErrorOut, description="Locked after too many failed sign-ins"),
            429: OpenApiResponse(ErrorOut, description="Too many attempts: wait Retry-After seconds"),
        },
        examples=[
            OpenApiExample(
                "Sign in",
                request_only=True,
                value={"email": "field@example.org", "password": "…", "device_name": "Pixel 9 (site crew)"},
            )
        ],
        auth=[],
    )
    def post(self, request):
        data = self.validated(TokenInput)
        user = authenticate(request._request, username=data["email"], password=data["password"])
        if getattr(request._request, "axes_locked_out", False):
            raise PermissionDenied(LOCKED)
        if user is None or user.is_system:
            raise AuthenticationFailed(WRONG)
        rls.enter_organisation(user.org_id)  # signed in: the rest of the request is their organisation's
        token, raw = services.issue_token(user=user, device_name=data["device_name"])
        token.token = raw
        return Response(TokenOut(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise ValidationError("This request is not signed in with a token: browsers sign out on /accounts/logout/.")
        services.revoke_tokens(
            actor=request.user, tokens=ApiToken.objects.filter(pk=request.auth.pk), reason="signed out"
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView):
    @extend_schema(responses=MeOut)
    def get(self, request):
        return self.conditional(MeOut(request.user).data)
