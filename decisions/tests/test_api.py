"""The decisions API: the log with its filters, a decision with options and comments, commenting and deciding
through the decisions services; permissions, another organisation's decision a 404, bad input a JSON 400 that
changes nothing, ETags, constant query counts."""

import datetime

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from decisions.enums import DecisionStatus
from decisions.models import Decision, DecisionComment
from decisions.tests.factories import raise_decision
from notifications.models import Notification
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/decisions/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def pumps(manager):
    return raise_decision(manager, title="Which pumps?", priority="HIGH", now=timezone.now())


def test_list_with_filters(api, member, manager, org, pumps):
    project = ProjectFactory(org=org, owner=manager)
    late = raise_decision(manager, title="Late one", project=project, now=timezone.now() - datetime.timedelta(days=30))
    api.force_authenticate(member)
    body = api.get(URL).json()
    assert sorted(ids(api.get(URL))) == sorted([pumps.pk, late.pk])
    assert {row["title"] for row in body["results"]} == {"Which pumps?", "Late one"}
    assert ids(api.get(f"{URL}?priority=HIGH")) == [pumps.pk]
    assert ids(api.get(f"{URL}?project={project.pk}")) == [late.pk]
    assert ids(api.get(f"{URL}?overdue=true")) == [late.pk]
    assert sorted(ids(api.get(f"{URL}?status=NEEDS_INPUT"))) == sorted([pumps.pk, late.pk])
    assert ids(api.get(f"{URL}?status=DECIDED")) == []
    for bad in ("status=MAYBE", "priority=x", "project=abc", "overdue=perhaps"):
        assert api.get(f"{URL}?{bad}").json()["code"] == "invalid", bad


def test_detail_comment_and_decide(api, member, manager, pumps):
    api.force_authenticate(member)
    detail = api.get(f"{URL}{pumps.pk}/")
    assert [option["id"] for option in detail.json()["options"]] == ["o1", "o2"]
    assert api.get(f"{URL}{pumps.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    body = {"content": f"@{manager.email.split('@')[0]} repair is risky", "option_id": "o2"}
    response = api.post(f"{URL}{pumps.pk}/comments/", body, format="json")
    assert response.status_code == 201
    [comment] = response.json()["comments"]
    assert comment["option_id"] == "o2" and comment["author"] == member.pk and comment["parent"] is None
    assert Notification.objects.filter(user=manager, event="mentioned").exists()
    reply = {"content": "Agreed", "parent": comment["id"]}
    replied = api.post(f"{URL}{pumps.pk}/comments/", reply, format="json").json()["comments"]
    assert replied[1]["parent"] == comment["id"] and replied[1]["option_id"] == "o2"
    assert api.post(f"{URL}{pumps.pk}/decide/", {"option_id": "o1", "rationale": "x"}, format="json").status_code == 403
    api.force_authenticate(manager)
    decided = api.post(f"{URL}{pumps.pk}/decide/", {"option_id": "o1", "rationale": "Fast"}, format="json")
    assert decided.status_code == 200
    assert decided.json()["status"] == DecisionStatus.DECIDED and decided.json()["decision_rationale"] == "Fast"
    assert [o["selected"] for o in decided.json()["options"]] == [True, False]
    again = api.post(f"{URL}{pumps.pk}/decide/", {"option_id": "o2", "rationale": "No"}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    pumps.refresh_from_db()
    assert pumps.selected_option["id"] == "o1"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("decide", {"option_id": "o9", "rationale": "Why not"}, "option_id"),
        ("decide", {"option_id": "o1", "rationale": "  "}, "rationale"),
        ("decide", {"option_id": "o1"}, "rationale"),
        ("comments", {"content": "  "}, "content"),
        ("comments", {"content": "Hm", "option_id": "o9"}, "option_id"),
        ("comments", {"content": "Hm", "parent": 999999}, "parent"),
    ],
)
def test_bad_input_is_a_json_400_and_changes_nothing(api, manager, pumps, path, body, field):
    api.force_authenticate(manager)
    response = api.post(f"{URL}{pumps.pk}/{path}/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    pumps.refresh_from_db()
    assert pumps.status == DecisionStatus.NEEDS_INPUT and not DecisionComment.objects.exists()


def test_a_viewer_may_read_but_not_comment(api, make_user, pumps):
    api.force_authenticate(make_user(Role.VIEWER))
    assert api.get(f"{URL}{pumps.pk}/").status_code == 200
    assert api.post(f"{URL}{pumps.pk}/comments/", {"content": "Hi"}, format="json").status_code == 403
    assert not DecisionComment.objects.exists()


def test_another_organisations_decision_is_a_404(api, other_org, pumps):
    api.force_authenticate(UserFactory(org=other_org, role=Role.MANAGER))
    assert ids(api.get(URL)) == []
    for response in (
        api.get(f"{URL}{pumps.pk}/"),
        api.post(f"{URL}{pumps.pk}/comments/", {"content": "Mine"}, format="json"),
        api.post(f"{URL}{pumps.pk}/decide/", {"option_id": "o1", "rationale": "Mine"}, format="json"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    pumps.refresh_from_db()
    assert pumps.status == DecisionStatus.NEEDS_INPUT and not DecisionComment.objects.exists()


def test_a_foreign_comment_is_no_parent(api, manager, other_org, pumps):
    outsider = UserFactory(org=other_org, role=Role.MANAGER)
    theirs = raise_decision(outsider)
    api.force_authenticate(outsider)
    parent = api.post(f"{URL}{theirs.pk}/comments/", {"content": "Ours"}, format="json").json()["comments"][0]["id"]
    api.force_authenticate(manager)
    response = api.post(f"{URL}{pumps.pk}/comments/", {"content": "Hi", "parent": parent}, format="json")
    assert response.status_code == 400 and "parent" in response.json()["errors"]


def test_query_counts_do_not_grow(api, manager, pumps, own_queries):
    api.force_authenticate(manager)
    few = own_queries(api, URL)
    for i in range(4):
        raise_decision(manager, title=f"More {i}", assigned_to=manager)
    assert Decision.objects.count() == 5
    assert own_queries(api, URL) == few
