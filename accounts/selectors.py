from accounts.models import ApiToken, TeamMembership, UserSession


def active_sessions(user):
    return UserSession.objects.filter(user=user).active()


def active_tokens(user):
    """The devices signed in to the API as `user` (the mobile app), most recently used first."""
    return ApiToken.objects.filter(user=user).active().order_by("-last_used_at", "-created_at")


def memberships_of(user):
    """The user's teams with their manager, for the dashboard (one query)."""
    return (
        TeamMembership.objects.for_org(user.org)
        .filter(user=user)
        .select_related("team", "team__manager")
        .order_by("team__name")
    )
