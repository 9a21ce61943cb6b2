from accounts import services


class SessionActivityMiddleware:
    """Ends sessions past their idle or absolute limit; keeps the live session's row (device, IP, last active) fresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if reason := services.session_timeout(request):
                services.expire_session(request, reason)  # the view then sees an anonymous visitor
            else:
                services.record_session_activity(request)
        return self.get_response(request)
