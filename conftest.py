import os

import environ
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import Role
from accounts.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The owner has created and migrated the test database; the tests run as the application's role, which owns
    nothing, so row-level security is in force as in production (pit/rls.py)."""
    app_url = os.environ.get("PIT_APP_DATABASE_URL")
    if not app_url:
        yield
        return
    app = environ.Env.db_url_config(app_url)
    owner = connection.settings_dict["USER"]
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Only for the suite, never in production: the flush between transactional tests truncates, and the
        # `table_owner` fixture may SET ROLE to the owner (membership without inherited rights, so RLS still binds).
        cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{app["USER"]}"')
        cursor.execute(f'GRANT "{owner}" TO "{app["USER"]}" WITH INHERIT FALSE, SET TRUE')
    saved = {key: connection.settings_dict[key] for key in ("USER", "PASSWORD")}
    connection.close()
    connection.settings_dict.update(USER=app["USER"], PASSWORD=app["PASSWORD"])
    yield
    connection.close()
    connection.settings_dict.update(saved)  # the owner drops the test database
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f'REVOKE "{owner}" FROM "{app["USER"]}"')


@pytest.fixture
def table_owner(db):
    """For tests that change the schema inside their transaction: act as the tables' owner until it rolls back."""
    owner = os.environ.get("DATABASE_OWNER_URL") and environ.Env.db_url_config(os.environ["DATABASE_OWNER_URL"])
    if owner:
        with connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{owner["USER"]}"')


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


def queries_of_a_get(client, url: str) -> int:
    """How many queries a GET of `url` runs (it must answer 200), not counting row-level security's scope
    switches, a fixed four per request whatever the page (pit/rls.py)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return sum(1 for query in queries if "set_config('pit." not in query["sql"])


@pytest.fixture
def count_queries(client):
    """`count_queries(url)`: the queries of a page for the test's `client` (see queries_of_a_get)."""
    return lambda url: queries_of_a_get(client, url)


@pytest.fixture
def own_queries():
    """`own_queries(api_client, url)`: the queries of one API GET (see queries_of_a_get)."""
    return queries_of_a_get


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
