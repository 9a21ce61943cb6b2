"""View guards: signed in, and allowed by the permission matrix. Object lookups use `get_for_org_or_404`."""

from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.permissions import has_perm


def org_required(perm: str | None = None):
    """View decorator: signed in, member of an organisation, and (optionally) holding `perm`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if perm and not has_perm(request.user, perm):
                raise PermissionDenied(f"Your role does not allow {perm}.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class OrgRequiredMixin(LoginRequiredMixin):
    """Class-based twin of `org_required`: set `permission` to the matrix permission the view needs."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission and not has_perm(request.user, self.permission):
            raise PermissionDenied(f"Your role does not allow {self.permission}.")
        return super().dispatch(request, *args, **kwargs)
