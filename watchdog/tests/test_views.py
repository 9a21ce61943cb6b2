"""The alerts pages and what the watchdog adds to other pages: content, actions, permissions, tenancy, queries."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from accounts.permissions import Role
from notifications.models import Notification
from pit.models import AuditLog
from projects import services
from watchdog.forms import SettingsForm
from watchdog.models import WatchdogAlert, WatchdogSettings
from watchdog.scan import scan
from watchdog.services import notify_due
from watchdog.tasks import scan_project_soon
from watchdog.tests.factories import DAY, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(org, manager):
    return plan(org, manager)


def scanned(org, p, n_late: int = 2):
    tasks = [p.task(start=-20, end=-1 - i * 10, name=f"Late task {i}") for i in range(n_late)]
    scan(org=org)
    return tasks


def test_alerts_page_lists_open_alerts_worst_first(manager_client, org, p):
    scanned(org, p)
    body = manager_client.get("/alerts/").content.decode()
    assert body.index("Late task 1") < body.index("Late task 0")  # red (11 days late) before yellow
    assert "is 11 working days late" in body and "Task overdue" in body and "Scan now" in body


def test_alerts_page_filters(manager_client, org, p, make_user):
    scanned(org, p)
    assert "Late task 0" not in manager_client.get("/alerts/?severity=red").content.decode()
    assert "Late task 0" in manager_client.get("/alerts/?rule=TASK_OVERDUE").content.decode()
    assert "No open alerts match" in manager_client.get("/alerts/?rule=BUDGET_OVER").content.decode()
    stranger = make_user(name="Sam Stranger")
    assert "No open alerts match" in manager_client.get(f"/alerts/?owner={stranger.pk}").content.decode()
    assert "Late task 0" in manager_client.get(f"/alerts/?project={p.project.pk}").content.decode()


def test_acknowledge_moves_the_alert_out_of_the_open_list(manager_client, org, p, manager):
    scanned(org, p, 1)
    alert = WatchdogAlert.objects.get()
    response = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Crew rebooked for Monday"})
    assert response.status_code == 302
    assert f'id="alert-{alert.pk}"' not in manager_client.get("/alerts/").content.decode()
    body = manager_client.get("/alerts/?tab=acknowledged").content.decode()
    assert "Crew rebooked for Monday" in body and "Acknowledged by Max Manager" in body
    assert AuditLog.objects.filter(table_name="watchdog_alert", record_id=str(alert.pk), user=manager).exists()
    scan(org=org)  # still late, same severity: stays acknowledged
    assert WatchdogAlert.objects.get().acknowledged_at is not None


def test_acknowledge_needs_a_note_and_changes_nothing_without_one(manager_client, org, p):
    scanned(org, p, 1)
    alert = WatchdogAlert.objects.get()
    response = manager_client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "  "}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert WatchdogAlert.objects.get().acknowledged_at is None


def test_snooze_until_a_date(manager_client, org, p):
    scanned(org, p, 1)
    alert = WatchdogAlert.objects.get()
    past = manager_client.post(f"/alerts/{alert.pk}/snooze/", {"until": p.today.isoformat()}, follow=True)
    assert "Snooze until a date after today" in past.content.decode()
    manager_client.post(f"/alerts/{alert.pk}/snooze/", {"until": (p.today + 3 * DAY).isoformat()})
    assert WatchdogAlert.objects.get().snoozed_until == p.today + 3 * DAY
    assert "Late task 0" in manager_client.get("/alerts/?tab=snoozed").content.decode()
    assert f'id="alert-{alert.pk}"' not in manager_client.get("/alerts/").content.decode()


def test_members_see_alerts_but_cannot_act(member_client, org, p):
    scanned(org, p, 1)
    alert = WatchdogAlert.objects.get()
    body = member_client.get("/alerts/").content.decode()
    assert "Late task 0" in body and 'name="note"' not in body and "Scan now" not in body
    assert member_client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "x"}).status_code == 403
    assert member_client.post("/alerts/scan/").status_code == 403


def test_another_organisations_alerts_are_invisible(manager_client, other_org, make_user):
    stranger = make_user(Role.MANAGER, org=other_org)
    theirs = plan(other_org, stranger)
    theirs.task(start=-20, end=-3, name="Their late task")
    scan(org=other_org)
    alert = WatchdogAlert.objects.get()
    assert "Their late task" not in manager_client.get("/alerts/").content.decode()
    assert manager_client.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "mine now"}).status_code == 404
    assert manager_client.post(f"/alerts/{alert.pk}/snooze/", {"until": "2099-01-01"}).status_code == 404
    assert manager_client.get(f"/alerts/?project={theirs.project.pk}").status_code == 404
    assert WatchdogAlert.objects.get().acknowledged_at is None


def test_scan_now_button(manager_client, org, p):
    p.task(start=-20, end=-2, name="Found by the button")
    response = manager_client.post("/alerts/scan/", follow=True)
    body = response.content.decode()
    assert "Scanned in" in body and "Found by the button" in body


def test_alerts_page_query_count_does_not_grow(manager_client, org, p, count_queries):
    scanned(org, p, 2)
    count_queries("/alerts/")  # warm: the first request loads the session's user and content types
    small = count_queries("/alerts/")
    for i in range(40):
        p.task(start=-30, end=-1 - i % 12, name=f"More {i}")
    scan(org=org)
    assert WatchdogAlert.objects.open().count() > 40
    assert count_queries("/alerts/") == small
    assert count_queries("/alerts/?tab=resolved") <= small


def test_thresholds_page_for_org_admins(client, org, org_admin, manager_client):
    assert manager_client.get("/alerts/settings/").status_code == 403
    client.force_login(org_admin)
    page = client.get("/alerts/settings/").content.decode()
    assert "Working days late before it turns red" in page and "MILESTONE_AT_RISK" in page
    form = {**SettingsForm(settings_row=None).initial, "TASK_OVERDUE__red_days": 3, "notify_yellow_after_days": 2}
    bad = client.post("/alerts/settings/", {**form, "TASK_OVERDUE__red_days": 0}).content.decode()
    assert "Ensure this value is greater than or equal to 1" in bad
    assert not WatchdogSettings.objects.filter(org=org).exists()
    client.post("/alerts/settings/", form)
    saved = WatchdogSettings.objects.get(org=org)
    assert saved.thresholds == {"TASK_OVERDUE": {"red_days": 3}} and saved.notify_yellow_after_days == 2


def test_project_page_gantt_and_dashboard_show_open_alerts(manager_client, org, p):
    scanned(org, p)
    project_page = manager_client.get(f"/projects/{p.project.pk}/").content.decode()
    assert (
        "Open alerts" in project_page
        and "(1 red, 1 yellow)" in project_page
        and "is 11 working days late" in project_page
    )
    gantt = manager_client.get(f"/projects/{p.project.pk}/gantt/").content.decode()
    assert "(1 red, 1 yellow)" in gantt
    dashboard = manager_client.get("/").content.decode()
    assert "red alert</span>" in dashboard and "yellow alert</span>" in dashboard


def test_task_page_and_gantt_show_the_forecast(manager_client, org, p):
    slow = p.task(start=-49, end=50, progress_percent=25, name="Slow task")  # at this rate: 200 days
    page = manager_client.get(f"/tasks/{slow.pk}/").content.decode()
    finish = p.today + 150 * DAY
    assert f"{finish.day} {finish:%b %Y}" in page and "100 working days after its end date" in page
    gantt = manager_client.get(f"/projects/{p.project.pk}/gantt/?shift=fit", follow=True).content.decode()
    assert f"Forecast finish {finish:%d %b %Y}" in gantt and 'class="ghost"' in gantt


def test_red_alerts_notify_the_owners_once(org, p, make_user):
    doer = make_user(name="Dee Doer")
    p.task(start=-20, end=-9, owner=doer)  # red at once
    scan(org=org)
    assert notify_due(org=org) == 1
    assert Notification.objects.filter(user=doer, event="alert_raised", type="internal_message").count() == 1
    assert Notification.objects.filter(user=p.project.owner, event="alert_raised", type="internal_message").count() == 1
    scan(org=org)
    assert notify_due(org=org) == 0
    assert Notification.objects.filter(event="alert_raised", type="internal_message").count() == 2


def test_yellow_alerts_notify_after_the_organisations_days(org, p, make_user):
    doer = make_user(name="Dee Doer")
    task = p.task(start=-20, end=-1, owner=doer)
    scan(org=org)
    assert notify_due(org=org) == 0  # yellow and new: not yet
    WatchdogAlert.objects.update(detected_at=WatchdogAlert.objects.get().detected_at - 3 * DAY)
    assert notify_due(org=org) == 1
    assert Notification.objects.filter(user=doer, event="alert_raised", type="internal_message").count() == 1
    type(task).objects.filter(pk=task.pk).update(end_date=p.today - 8 * DAY)
    scan(org=org)  # escalates: told again, as red, once
    assert notify_due(org=org) == 1 and notify_due(org=org) == 0
    assert Notification.objects.filter(user=doer, event="alert_raised", type="internal_message").count() == 2


def test_command_scans_and_says_what_is_wrong(org, p, capsys):
    p.task(start=-20, end=-2)
    call_command("pit_watchdog", "--org", org.slug)
    assert "1 open alert(s)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no organisation with slug 'nope'"):
        call_command("pit_watchdog", "--org", "nope")
    with pytest.raises(CommandError, match="no live project with id 999999"):
        call_command("pit_watchdog", "--project", "999999")
    call_command("pit_watchdog", "--project", str(p.project.pk), "--no-notify")
    assert "1 project(s)" in capsys.readouterr().out


def test_project_scans_are_debounced(p):
    assert scan_project_soon(p.project.pk) is True
    assert scan_project_soon(p.project.pk) is False  # the scan already queued will see this change too


def test_a_change_to_a_project_queues_its_scan_after_commit(p, manager, django_capture_on_commit_callbacks):
    task = p.task()
    cache.delete(f"watchdog:scan-project:{p.project.pk}")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.set_task_progress(actor=manager, task=task, progress_percent=70)
    assert callbacks and cache.get(f"watchdog:scan-project:{p.project.pk}") == 1


def test_history_lists_resolved_alerts(manager_client, org, p):
    task = scanned(org, p, 1)[0]
    type(task).objects.filter(pk=task.pk).update(status="completed", progress_percent=100)
    scan(org=org)
    assert f'id="alert-{WatchdogAlert.objects.get().pk}"' not in manager_client.get("/alerts/").content.decode()
    body = manager_client.get("/alerts/?tab=resolved").content.decode()
    assert "Late task 0" in body and '<th scope="col">Resolved</th>' in body
