from accounts import services


class SessionActivityMiddleware:
    """Keeps the signed-in user's session row (device, IP, last active) fresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            services.record_session_activity(request)
        return self.get_response(request)
