import pytest
from django.http import Http404

from accounts.models import Team, TeamMembership
from accounts.permissions import Role
from accounts.tests.factories import TeamFactory, TeamMembershipFactory, UserFactory
from pit.tenancy import get_for_org_or_404

pytestmark = pytest.mark.django_db


def test_for_org_returns_only_that_organisations_rows(org, other_org):
    mine, theirs = TeamFactory(org=org), TeamFactory(org=other_org)
    assert list(Team.objects.for_org(org)) == [mine]
    assert list(Team.objects.for_org(other_org)) == [theirs]
    assert list(Team.objects.for_org(None)) == []


def test_for_org_follows_the_models_path_to_its_organisation(org, other_org):
    mine = TeamMembershipFactory(team__org=org)
    TeamMembershipFactory(team__org=other_org)
    assert list(TeamMembership.objects.for_org(org)) == [mine]


def test_another_organisations_object_is_a_404(org, other_org):
    theirs = TeamFactory(org=other_org)
    with pytest.raises(Http404):
        get_for_org_or_404(Team, org, pk=theirs.pk)
    assert get_for_org_or_404(Team, other_org, pk=theirs.pk) == theirs


def test_a_malformed_id_is_a_404_not_an_error(org):
    with pytest.raises(Http404):
        get_for_org_or_404(Team, org, pk="not-a-number")


def test_dashboard_shows_only_my_organisation(client, member, other_org):
    TeamMembershipFactory(team__org=member.org, team__name="Pipes crew", user=member)
    outsider = UserFactory(org=other_org)
    TeamMembershipFactory(team__org=other_org, team__name="Rail crew", user=outsider)
    client.force_login(member)
    body = client.get("/").content.decode()
    assert "Harbour Water" in body and "Pipes crew" in body
    assert "Inland Rail" not in body and "Rail crew" not in body


def test_org_admin_cannot_open_another_organisations_row_in_admin(client, org, other_org):
    admin = UserFactory(org=org, role=Role.ORG_ADMIN)
    theirs = TeamFactory(org=other_org, name="Rail crew")
    client.force_login(admin)
    listing = client.get("/admin/accounts/team/").content.decode()
    assert "Rail crew" not in listing
    foreign = client.get(f"/admin/accounts/team/{theirs.pk}/change/", follow=True).content.decode()
    missing = client.get("/admin/accounts/team/999999/change/", follow=True).content.decode()
    # Indistinguishable from an id that does not exist: nothing leaks.
    assert f"Team with ID “{theirs.pk}” doesn’t exist. Perhaps it was deleted?" in foreign
    assert "Team with ID “999999” doesn’t exist. Perhaps it was deleted?" in missing
    assert "Rail crew" not in foreign
