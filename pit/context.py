"""Who is acting, from where: set per request (or per job) and read by the audit log."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


_current: ContextVar[RequestContext] = ContextVar("pit_request_context", default=RequestContext())  # noqa: B039 (frozen, immutable)


def current() -> RequestContext:
    return _current.get()


def client_ip(request) -> str | None:
    """The client's address as our own proxies saw it. Each of the PROXY_COUNT proxies appends the address it was
    called from to X-Forwarded-For, so the client is that many hops from the right; anything further left was
    written by the client and proves nothing. With no proxy, REMOTE_ADDR."""
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if settings.PROXY_COUNT and len(hops) >= settings.PROXY_COUNT:
        return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = _current.set(
            RequestContext(client_ip(request), request.headers.get("User-Agent", "")[:512], request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
