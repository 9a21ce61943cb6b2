"""Bearer tokens for devices: `Authorization: Bearer pit_…`."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts import services
from accounts.models import ApiToken
from pit import rls

KEYWORD = b"bearer"
NOT_VALID = "This token is not valid: it expired or was revoked, or its account is closed. Sign in again."


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the header as “Authorization: Bearer <token>”.")
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise AuthenticationFailed(NOT_VALID) from None
        with rls.all_organisations():  # the token, not a session, names the person and so the organisation
            token = (
                ApiToken.objects.select_related("user", "user__org")
                .filter(key_hash=services.hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
                .first()
            )
            if token is None or not token.user.is_active:
                raise AuthenticationFailed(NOT_VALID)
            services.touch_token(token)  # that token's own row
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/token/."}
