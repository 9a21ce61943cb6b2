"""Sign-in throttles: per client address, and per email whatever the address (rates in settings)."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle


class SignInByAddress(SimpleRateThrottle):
    scope = "token_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInByEmail(SimpleRateThrottle):
    scope = "token_email"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count against: the request fails validation anyway
        ident = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}
