"""Row-level security: the database's own wall between organisations, behind `for_org` (seeds 003 and 004).

The application connects as a role that is not a superuser, has no BYPASSRLS and owns no table (`DATABASE_URL`);
migrations and backups run as the owner (`DATABASE_OWNER_URL`, see `as_owner`). Every tenant table has the policy
`tenant_isolation`, which lets a row through only when

- it belongs to the organisation in the setting `pit.org_id`, or
- the setting `pit.all_orgs` is `on`: code that must see every organisation says so (`all_organisations()`).

No setting means no rows. A web request runs with its user's organisation (`OrgScopeMiddleware`); a superuser in
the admin sees every organisation. Processes that are not web servers (Celery workers and beat, manage.py commands,
the test suite's own code) are the system's jobs and start with `all_orgs` on; `pit/wsgi.py` marks web servers,
whose connections start with no setting at all. Settings are per connection and are set at the start of every
request and restored after it, so nothing carries over on a reused connection.

Policies follow each model's `org_path` (pit/tenancy.py): `org_id = <the setting>` where the table has the column,
else `<first hop>_id IN (SELECT id FROM <that table>)`, which that table's own policy narrows in turn. They are
(re)installed after every `migrate`, so a new tenant table is covered the moment it exists; a table that is not
a tenant's must be named in PLATFORM_TABLES (a test checks that every table is one or the other).
"""

from contextlib import contextmanager
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

from pit.tenancy import org_path_of

ORG, ALL = "pit.org_id", "pit.all_orgs"
POLICY = "tenant_isolation"
PLATFORM_TABLES = {
    "auth_group", "auth_group_permissions", "auth_permission", "django_content_type", "django_migrations",
    "django_session", "job_run", "user_groups", "user_user_permissions",
    "axes_accessattempt", "axes_accessattemptexpiration", "axes_accessfailurelog", "axes_accesslog",  # sign-ins
}  # fmt: skip
EXTRA_PATHS = {"django_admin_log": "user"}  # tables of Django's own whose rows belong to a person

web_process = False  # set by pit/wsgi.py: connections of web servers start with no organisation


SWITCH = f"""
WITH previous AS MATERIALIZED (SELECT current_setting('{ORG}', true) AS org, current_setting('{ALL}', true) AS all)
SELECT previous.org, previous.all, set_config('{ORG}', %s, false), set_config('{ALL}', %s, false) FROM previous
"""


def _switch(connection, org_id: int | None, all_orgs: bool) -> tuple[str, str]:
    """Set the scope and return the one it replaced, in one round trip (the CTE is read before the sets run)."""
    with connection.cursor() as cursor:
        cursor.execute(SWITCH, ["" if org_id is None else str(org_id), "on" if all_orgs else "off"])
        org, all_orgs_before = cursor.fetchone()[:2]
    return org or "", all_orgs_before or "off"


def _restore(connection, previous: tuple[str, str]) -> None:
    """Put the scope back. In a failed transaction that is impossible and unneeded: the rollback undoes the set."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT set_config('{ORG}', %s, false), set_config('{ALL}', %s, false)", previous)
    except DatabaseError:
        if connection.in_atomic_block or connection.connection is None:
            return
        raise


def start_connection(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        _switch(connection, None, not web_process)


connection_created.connect(start_connection)


@contextmanager
def scope(*, org_id: int | None = None, all_orgs: bool = False, using: str = "default"):
    """Run the block with this organisation (or all of them), then put back what was there."""
    connection = connections[using]
    connection.ensure_connection()
    previous = _switch(connection, org_id, all_orgs)
    try:
        yield
    finally:
        _restore(connection, previous)


def enter_organisation(org_id: int, using: str = "default") -> None:
    """For the rest of a request whose user is known only after the middleware ran (API tokens): narrow the scope
    to their organisation. The middleware puts back what was there when the request ends."""
    _switch(connections[using], org_id, False)


def all_organisations(using: str = "default"):
    """For code that must see every organisation: say so where it happens."""
    return scope(all_orgs=True, using=using)


def organisation(org, using: str = "default"):
    return scope(org_id=org.pk, using=using)


def across_organisations(view):
    """For a view that must find a person before anyone is signed in (sign-in, password reset): says so."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        with all_organisations():
            return view(*args, **kwargs)

    return wrapped


class OrgScopeMiddleware:
    """Scopes the database to the signed-in user's organisation for the whole request (right after
    AuthenticationMiddleware). Who is signed in is looked up across organisations: the session names a user id,
    not an organisation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection = connections["default"]
        try:
            connection.ensure_connection()
        except DatabaseError:  # the database is down: pages fail on their own, /healthz says so
            return self.get_response(request)
        user = request.user
        signed_in = user.is_authenticated  # loads the user (the backend looks across organisations)
        see_all = signed_in and user.is_superuser and request.path.startswith("/admin/")
        with scope(org_id=user.org_id if signed_in else None, all_orgs=see_all):
            return self.get_response(request)


@contextmanager
def as_owner(using: str = "default"):
    """Connect as the tables' owner (DATABASE_OWNER_URL) for the block: migrations, backups, restores."""
    owner = settings.DATABASE_OWNER
    connection = connections[using]
    shared = connection.settings_dict  # settings.DATABASES' dict, read by every thread's new connections
    keys = ("USER", "PASSWORD", "HOST", "PORT")
    if not owner or all(owner.get(key) == shared[key] for key in keys):
        yield
        return
    connection.close()
    connection.settings_dict = {**shared, **{key: owner[key] for key in keys}}  # this connection only
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict = shared


def policy_condition(model_or_table) -> str | None:
    """The SQL a row must satisfy, from the model's org_path (or EXTRA_PATHS); None for platform tables."""
    if isinstance(model_or_table, str):
        hop = EXTRA_PATHS.get(model_or_table)
        return f'"{hop}_id" IN (SELECT id FROM "{hop}")' if hop else None
    model = getattr(model_or_table, "instance_type", model_or_table)  # a history table follows its model
    path = org_path_of(model)
    if path is None:
        return None
    if path == "pk":
        return "id = pit_current_org()"
    if path == "org":
        return "org_id = pit_current_org()"
    first = path.split("__")[0]
    parent = model._meta.get_field(first).related_model._meta.db_table
    return f'"{first}_id" IN (SELECT id FROM "{parent}")'


FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION pit_current_org() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS
  $$ SELECT nullif(current_setting('{ORG}', true), '')::bigint $$;
CREATE OR REPLACE FUNCTION pit_all_orgs() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS
  $$ SELECT coalesce(current_setting('{ALL}', true), '') = 'on' $$;
"""


def tenant_tables() -> dict[str, str]:
    """Every tenant table and the condition its rows must meet."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        condition = policy_condition(model)
        if condition and not model._meta.proxy and model._meta.managed:
            tables[model._meta.db_table] = condition
    for table in EXTRA_PATHS:
        tables[table] = policy_condition(table)
    return tables


def install(connection, app_role: str | None) -> None:
    """(Re)create every policy and give the application's role what it needs, and nothing more."""
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        for table, condition in tenant_tables().items():
            rule = f"pit_all_orgs() OR ({condition})"
            cursor.execute(
                f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
                f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
                f'CREATE POLICY {POLICY} ON "{table}" USING ({rule}) WITH CHECK ({rule})'
            )
        if app_role and _role_exists(cursor, app_role):
            role = connection.ops.quote_name(app_role)
            cursor.execute(
                f"GRANT USAGE ON SCHEMA public TO {role}; "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; "
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}; "
                f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role}"
            )
            if connection.pg_version >= 170000:  # ANALYZE after bulk loads; MAINTAIN reads no rows
                cursor.execute(f"GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO {role}")


def _role_exists(cursor, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """After migrate (every table exists by then), as the owner. `flush` sends the same signal from the
    application's role, which may not (and need not: flushing keeps the policies) change them."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'django_migrations'")
        owner = cursor.fetchone()
    if owner and owner[0]:
        install(connection, settings.DATABASE_APP_ROLE)
