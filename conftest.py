import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import Role
from accounts.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Harbour Water", slug="harbour")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Inland Rail", slug="inland")


@pytest.fixture
def make_user(org):
    def make(role=Role.MEMBER, **fields):
        fields.setdefault("org", org)
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def member(make_user):
    return make_user(Role.MEMBER, name="Mia Member")


@pytest.fixture
def org_admin(make_user):
    return make_user(Role.ORG_ADMIN, name="Ada Admin")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, name="Max Manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def count_queries(client):
    """`count_queries(url)`: how many queries a GET of `url` runs (it must answer 200)."""

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        return len(queries)

    return count


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests sign in often and do not test the hash's strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(db):
    """A DRF APIClient (`api.force_authenticate`, `api.credentials`); throttle counters start from zero."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    return APIClient()
