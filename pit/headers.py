"""Response headers the framework has no setting for (README "Security")."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Permissions-Policy: PIT uses no camera, microphone, location, payment or USB, so no page (or frame) may."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
