"""The alerts API: the organisation's alerts by tab with the page's filters, acknowledge and snooze through the
services (RESOLVE_ALERTS), another organisation's alert a 404, bad input a JSON 400 that changes nothing, sync and
ETags, constant query counts."""

import datetime

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from pit.models import AuditLog
from watchdog.models import WatchdogAlert
from watchdog.scan import scan
from watchdog.tests.factories import DAY, plan

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def p(org, manager):
    return plan(org, manager)


def late(org, p, n: int = 2) -> list[WatchdogAlert]:
    """Alerts on `n` overdue tasks (the later ones redder), worst first."""
    for i in range(n):
        p.task(start=-60, end=-1 - i * 10, name=f"Late task {i}")
    scan(org=org)
    return list(WatchdogAlert.objects.for_org(org).order_by("-severity", "-detected_at", "-id"))


def test_lists_open_alerts_worst_first_with_the_pages_filters(api, member, org, p):
    red, yellow = late(org, p)
    assert (red.severity, yellow.severity) == ("red", "yellow")
    api.force_authenticate(member)  # every role reads
    body = api.get(URL).json()
    assert ids(api.get(URL)) == [red.pk, yellow.pk]
    assert body["results"][0]["project_name"] == p.project.name and body["results"][0]["title"] == "Task overdue"
    assert ids(api.get(f"{URL}?severity=red")) == [red.pk]
    assert ids(api.get(f"{URL}?rule=TASK_OVERDUE&project={p.project.pk}")) == [red.pk, yellow.pk]
    assert ids(api.get(f"{URL}?rule=BUDGET_OVER")) == []
    assert ids(api.get(f"{URL}?project={p.project.pk + 1000}")) == []
    assert ids(api.get(f"{URL}?ordering=severity")) == [yellow.pk, red.pk]


def test_acknowledge_and_snooze(api, manager, org, p):
    red, yellow = late(org, p)
    api.force_authenticate(manager)
    response = api.post(f"{URL}{red.pk}/acknowledge/", {"note": "Crew rebooked"}, format="json")
    assert response.status_code == 200
    assert response.json()["acknowledge_note"] == "Crew rebooked" and response.json()["acknowledged_by"] == manager.pk
    until = (p.today + 7 * DAY).isoformat()
    response = api.post(f"{URL}{yellow.pk}/snooze/", {"until": until}, format="json")
    assert response.status_code == 200 and response.json()["snoozed_until"] == until
    assert ids(api.get(URL)) == []
    assert ids(api.get(f"{URL}?tab=acknowledged")) == [red.pk]
    assert ids(api.get(f"{URL}?tab=snoozed")) == [yellow.pk]
    assert AuditLog.objects.filter(table_name="watchdog_alert", record_id=str(yellow.pk), action="UPDATE").exists()


def test_sync_sees_a_snooze_and_etags_follow_changes(api, manager, org, p):
    red, yellow = late(org, p)
    api.force_authenticate(manager)
    hour_ago = timezone.now() - datetime.timedelta(hours=1)  # before the sync overlap
    WatchdogAlert.objects.update(detected_at=hour_ago, severity_changed_at=hour_ago)
    first = api.get(f"{URL}?tab=open")
    since = first.json()["server_time"]
    assert api.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert ids(api.get(f"{URL}?updated_since={since}")) == []
    one = api.get(f"{URL}{yellow.pk}/")
    api.post(f"{URL}{yellow.pk}/snooze/", {"until": (p.today + 3 * DAY).isoformat()}, format="json")
    assert ids(api.get(f"{URL}?tab=snoozed&updated_since={since}")) == [yellow.pk]
    assert api.get(f"{URL}{yellow.pk}/", HTTP_IF_NONE_MATCH=one["ETag"]).status_code == 200
    stale = api.post(f"{URL}{yellow.pk}/acknowledge/", {"note": "x"}, format="json", HTTP_IF_MATCH=one["ETag"])
    assert stale.status_code == 412


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER, Role.REVIEWER])
def test_only_those_who_resolve_alerts_may_act(api, org, p, make_user, role):
    red, _ = late(org, p)
    api.force_authenticate(make_user(role))
    response = api.post(f"{URL}{red.pk}/acknowledge/", {"note": "Mine"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert api.post(f"{URL}{red.pk}/snooze/", {"until": (p.today + DAY).isoformat()}, format="json").status_code == 403
    red.refresh_from_db()
    assert red.acknowledged_at is None and red.snoozed_until is None


def test_another_organisations_alert_is_a_404(api, org, p, other_org):
    red, _ = late(org, p)
    api.force_authenticate(UserFactory(org=other_org, role=Role.MANAGER))
    assert ids(api.get(URL)) == []
    assert api.get(f"{URL}{red.pk}/").status_code == 404
    response = api.post(f"{URL}{red.pk}/acknowledge/", {"note": "Mine"}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    red.refresh_from_db()
    assert red.acknowledged_at is None


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("acknowledge", {"note": "   "}, "note"),
        ("acknowledge", {}, "note"),
        ("snooze", {"until": "yesterday"}, "until"),
        ("snooze", {"until": "2000-01-01"}, "until"),
        ("snooze", {"until": "2999-01-01"}, "until"),
    ],
)
def test_bad_input_is_a_json_400_and_changes_nothing(api, manager, org, p, path, body, field):
    red, _ = late(org, p)
    api.force_authenticate(manager)
    response = api.post(f"{URL}{red.pk}/{path}/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    red.refresh_from_db()
    assert red.acknowledged_at is None and red.snoozed_until is None and red.acknowledge_note == ""


def test_bad_filters_are_a_json_400(api, member, org, p):
    api.force_authenticate(member)
    for query in ("severity=purple", "tab=everything", "project=abc", "rule=NO_SUCH_RULE"):
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 400 and response.json()["code"] == "invalid", query


def test_query_counts_do_not_grow(api, manager, org, p, own_queries):
    late(org, p, 1)
    api.force_authenticate(manager)
    few = own_queries(api, URL)
    late(org, p, 4)
    assert WatchdogAlert.objects.count() >= 4
    assert own_queries(api, URL) == few
    assert own_queries(api, f"{URL}?tab=resolved") <= few


def test_cursor_pages_walk_the_worst_first_order(api, member, org, p):
    alerts = late(org, p, 3)
    api.force_authenticate(member)
    seen, url = [], f"{URL}?page_size=1"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == [alert.pk for alert in alerts]
