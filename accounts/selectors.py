from accounts.models import TeamMembership, UserSession


def active_sessions(user):
    return UserSession.objects.filter(user=user).active()


def memberships_of(user):
    """The user's teams with their manager, for the dashboard (one query)."""
    return (
        TeamMembership.objects.for_org(user.org)
        .filter(user=user)
        .select_related("team", "team__manager")
        .order_by("team__name")
    )
