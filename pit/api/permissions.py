"""DRF permission classes over the one permission matrix (accounts.permissions)."""

from rest_framework.permissions import BasePermission

from accounts.permissions import VIEW, has_perm


class CanView(BasePermission):
    """Signed in, active, and allowed to read the organisation (every role; not a system account's token)."""

    message = "Sign in with an account of an organisation."

    def has_permission(self, request, view):
        return has_perm(request.user, VIEW)
