import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import TeamMembershipFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_org_teams_and_navigation(member_client, member):
    TeamMembershipFactory(team__org=member.org, team__name="Pipes crew", user=member, role="lead")
    body = member_client.get("/").content.decode()
    assert "<h1>Harbour Water</h1>" in body
    assert "Pipes crew" in body and "Lead" in body
    for section in ("Dashboard", "Projects", "My work", "Reviews", "Alerts", "Decisions"):
        assert f">{section}<" in body
    assert ">Admin<" not in body  # members do not administer
    assert 'class="skip-link" href="#main"' in body


def test_dashboard_empty_state_says_what_to_do(member_client):
    assert "You are not in a team yet" in member_client.get("/").content.decode()


def test_admin_link_shown_to_org_admins(client, org_admin):
    client.force_login(org_admin)
    assert '<a href="/admin/">Admin</a>' in client.get("/").content.decode()


def test_dashboard_query_count_does_not_grow_with_teams(member_client, member):
    member_client.get("/")  # first request records the session's activity
    counts = []
    for _ in range(2):
        for _ in range(4):
            TeamMembershipFactory(team__org=member.org, user=member)
        with CaptureQueriesContext(connection) as queries:
            member_client.get("/")
        counts.append(len(queries))
    assert counts[0] == counts[1]
