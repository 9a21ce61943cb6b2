import pytest

from accounts import permissions as p
from accounts.permissions import Role, has_perm, perms_of
from accounts.tests.factories import UserFactory

EXPECTED = {
    Role.ORG_ADMIN: p.ALL,
    Role.MANAGER: p.ALL - {p.ADMINISTER},
    Role.MEMBER: {p.VIEW, p.UPDATE_OWN_WORK, p.UPLOAD_EVIDENCE, p.RAISE_DECISIONS},
    Role.REVIEWER: {p.VIEW, p.UPDATE_OWN_WORK, p.UPLOAD_EVIDENCE, p.REVIEW_EVIDENCE, p.RAISE_DECISIONS},
    Role.VIEWER: {p.VIEW},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_permissions(role):
    user = UserFactory.build(role=role)
    assert perms_of(user) == EXPECTED[role]


def test_every_role_is_in_the_matrix():
    assert set(p.MATRIX) == set(Role)


@pytest.mark.django_db
def test_inactive_user_has_no_permissions():
    user = UserFactory.build(role=Role.ORG_ADMIN, is_active=False)
    assert perms_of(user) == frozenset()


@pytest.mark.django_db
def test_superuser_has_every_permission_whatever_the_role():
    user = UserFactory.build(role=Role.VIEWER, is_superuser=True)
    assert perms_of(user) == p.ALL


def test_anonymous_has_no_permissions():
    from django.contrib.auth.models import AnonymousUser

    assert not has_perm(AnonymousUser(), p.VIEW)


def test_unknown_permission_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown permission"):
        has_perm(None, "project.fly")


@pytest.mark.django_db
def test_admin_site_access_follows_the_matrix(client, make_user):
    for role in Role:
        client.force_login(make_user(role))
        response = client.get("/admin/accounts/user/", follow=True)
        if role == Role.ORG_ADMIN:
            assert response.status_code == 200 and "Select user to change" in response.content.decode()
        else:
            assert response.status_code == 403 and "does not include administration" in response.content.decode()
