import pytest
from django.db import DatabaseError, connection, transaction

from accounts import services
from pit import audit
from pit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_services_write_an_audit_row_with_request_context(client, org_admin):
    client.force_login(org_admin)
    client.post(
        "/admin/accounts/team/add/",
        {
            "org": org_admin.org_id,
            "name": "Valves",
            "manager": org_admin.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
        HTTP_USER_AGENT="AuditBrowser/1.0",
        HTTP_X_REQUEST_ID="req-42",
    )
    entry = AuditLog.objects.get(action="CREATE", table_name="team")
    assert entry.user == org_admin
    assert entry.after_state["name"] == "Valves"
    assert (entry.user_agent, entry.request_id, entry.ip_address) == ("AuditBrowser/1.0", "req-42", "127.0.0.1")


def test_admin_update_records_before_and_after(client, org_admin):
    client.force_login(org_admin)
    client.post(
        f"/admin/accounts/organisation/{org_admin.org_id}/change/",
        {"name": "Harbour Water Ltd", "slug": "harbour", "time_zone": "Australia/Perth", "fy_start_month": 7},
    )
    entry = AuditLog.objects.get(action="UPDATE", table_name="organisation")
    assert entry.before_state["time_zone"] == "Australia/Sydney"
    assert entry.after_state["time_zone"] == "Australia/Perth"


def test_bad_admin_input_gets_a_message_and_changes_nothing(client, org_admin):
    client.force_login(org_admin)
    response = client.post(
        f"/admin/accounts/organisation/{org_admin.org_id}/change/",
        {"name": "Harbour", "slug": "harbour", "time_zone": "Mars/Olympus", "fy_start_month": 13},
    )
    body = response.content.decode()
    assert "is not a known time zone" in body
    assert "Ensure this value is less than or equal to 12" in body
    org_admin.org.refresh_from_db()
    assert org_admin.org.time_zone == "Australia/Sydney"
    assert not AuditLog.objects.filter(action="UPDATE").exists()


def test_audit_log_is_append_only(member):
    with transaction.atomic():
        entry = audit.record(actor=member, org=member.org, action="TEST", table_name="user", record_id=member.pk)
    for statement in ("UPDATE audit_log SET action = 'X' WHERE id = %s", "DELETE FROM audit_log WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(statement, [entry.pk])
    assert AuditLog.objects.get(pk=entry.pk).action == "TEST"


@pytest.mark.django_db(transaction=True)
def test_audit_refuses_to_write_outside_a_transaction(member):
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        audit.record(actor=member, org=member.org, action="TEST", table_name="user", record_id=1)


def test_creating_an_organisation_gives_it_a_system_actor_and_audits_it():
    org = services.create_organisation(name="New Org", slug="new-org")
    system = services.system_user(org)
    assert system.is_system and not system.has_usable_password()
    entry = AuditLog.objects.get(table_name="organisation", record_id=str(org.pk))
    assert entry.user == system and entry.after_state["slug"] == "new-org"
