from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from pit import backup, health


def admin_login(request):
    """Admin has no login of its own: people sign in once; a signed-in person without the role is told so."""
    if request.user.is_authenticated:
        raise PermissionDenied("Your role does not include administration.")
    return redirect_to_login(request.GET.get("next", "/admin/"))


@never_cache
def healthz(request):
    checks = {"database": health.database_up(), "redis": health.redis_up()}
    status = {name: "up" if ok else "down" for name, ok in checks.items()}
    healthy = all(checks.values())
    status["backup"] = "unknown" if not checks["database"] else "stale" if backup.backup_is_stale() else "ok"
    return JsonResponse({"status": "ok" if healthy else "degraded", **status}, status=200 if healthy else 503)
