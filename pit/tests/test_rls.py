"""Row-level security: a second wall behind for_org, in the database itself (pit/rls.py)."""

import pytest
from django.db import connection, connections, transaction
from django.db.utils import ProgrammingError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from pit import rls
from pit.models import AuditLog
from projects.models import Project, Task
from projects.tests.factories import task_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orgs(org, other_org, manager):
    mine = task_in(org, manager, name="Ours")
    stranger = UserFactory(org=other_org)
    theirs = task_in(other_org, stranger, name="Theirs")
    for task, person in ((mine, manager), (theirs, stranger)):
        Notification.objects.create(user=person, event="task_assigned", title=task.name)
    return mine, theirs


def test_the_application_role_is_no_superuser_cannot_bypass_and_owns_nothing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        assert cursor.fetchone() == (0,)


def test_every_table_is_either_a_tenant_table_under_its_policy_or_named_a_platform_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, p.polname IS NOT NULL FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
            "LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = %s WHERE c.relkind = 'r'",
            [rls.POLICY],
        )
        tables = {name: (enabled, policy) for name, enabled, policy in cursor.fetchall()}
    unguarded = {name for name, state in tables.items() if state != (True, True)}
    assert unguarded == rls.PLATFORM_TABLES & tables.keys()
    assert {"task", "task_history", "evidence_review", "notification", "audit_log", "user"} <= tables.keys() - unguarded


def test_a_query_that_forgets_for_org_sees_only_the_current_organisation(two_orgs, org):
    mine, theirs = two_orgs
    with rls.organisation(org):
        assert list(Task.objects.values_list("name", flat=True)) == ["Ours"]
        assert set(Project.objects.all()) == {mine.project}
        assert list(Notification.objects.values_list("title", flat=True)) == ["Ours"]  # through its user
        assert not Task.history.filter(id=theirs.pk).exists()  # history tables follow their model
        assert not AuditLog.objects.exclude(org=org).exists()
    assert Task.objects.count() == 2  # this test's own code is a system job: it sees both


@pytest.mark.parametrize(
    "lookup", ["SELECT task_ids_of_person(%s)", "SELECT array_agg(id) FROM open_tasks_of_person(%s)"]
)
def test_the_owner_run_lookups_of_a_persons_tasks_keep_to_the_current_organisation(two_orgs, org, other_org, lookup):
    """task_ids_of_person and open_tasks_of_person bypass the policy to use the assignees index, so they must apply
    the rule themselves."""
    mine, theirs = two_orgs

    def ids_of(person):
        with connection.cursor() as cursor:
            cursor.execute(lookup, [person.pk])
            return sorted(cursor.fetchone()[0] or [])

    theirs.assignees = [mine.owner_id]
    theirs.save(update_fields=["assignees"])
    with rls.organisation(org):
        assert ids_of(mine.owner) == [mine.pk]  # their task names our manager, yet stays invisible here
        assert ids_of(theirs.owner) == []
    with rls.organisation(other_org):
        assert ids_of(theirs.owner) == [theirs.pk]
    with rls.scope():
        assert ids_of(mine.owner) == []
    assert ids_of(mine.owner) == sorted([mine.pk, theirs.pk])  # a system job sees every organisation


def test_no_organisation_setting_means_no_rows(two_orgs):
    with rls.scope():
        assert (Task.objects.count(), Project.objects.count(), Notification.objects.count()) == (0, 0, 0)


def test_another_organisations_rows_cannot_be_changed_or_written(two_orgs, org, other_org):
    mine, theirs = two_orgs
    with rls.organisation(org):
        assert Task.objects.filter(pk=theirs.pk).update(name="Hijacked") == 0
        with pytest.raises(ProgrammingError, match="row-level security"), transaction.atomic():
            Project.objects.create(org=other_org, owner=theirs.owner, name="Planted", start_date=mine.start_date,
                                   end_date=mine.end_date)  # fmt: skip
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def request_as(user, path="/projects/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_a_request_is_scoped_to_its_users_organisation_and_leaves_nothing_behind(two_orgs, manager):
    seen = {}

    def view(request):
        seen["tasks"] = list(Task.objects.values_list("name", flat=True))  # forgets for_org on purpose
        return HttpResponse()

    rls.OrgScopeMiddleware(view)(request_as(manager))
    assert seen["tasks"] == ["Ours"]
    assert Task.objects.count() == 2, "the request's scope outlived it"


def test_a_superuser_in_the_admin_sees_every_organisation_and_elsewhere_only_theirs(two_orgs, make_user):
    admin = make_user(is_superuser=True)
    counts = []
    middleware = rls.OrgScopeMiddleware(lambda request: counts.append(Task.objects.count()) or HttpResponse())
    middleware(request_as(admin, "/admin/projects/task/"))
    middleware(request_as(admin, "/projects/"))
    assert counts == [2, 1]


def test_a_web_servers_connections_start_with_no_organisation(monkeypatch):
    monkeypatch.setattr(rls, "web_process", True)
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true), current_setting(%s, true)", [rls.ORG, rls.ALL])
            assert cursor.fetchone() == ("", "off")
    finally:
        fresh.close()
