"""The decisions pages: content, actions by role, bad input, tenancy and constant query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from decisions.enums import DecisionStatus
from decisions.models import Decision, DecisionComment, Stakeholder
from decisions.services import comments, outcomes
from decisions.services import decision as services
from decisions.tests.factories import raise_decision, stakeholder_for
from notifications.models import Notification
from pit.models import AuditLog
from projects.models import IsmsLink, RiskLink
from projects.tests.factories import task_in

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {"title": "Which valve supplier?", "priority": "HIGH", "owner": "", "option_1_title": "Acme",
            "option_1_pros": "Cheap\nLocal", "option_1_cons": "Slow", "option_2_title": "Bolt & Co",
            "option_2_pros": "Fast", "option_2_cons": ""}  # fmt: skip
    return data | extra


def test_raise_a_decision_from_the_form(member_client, member, manager):
    task = task_in(member.org, member)
    data = _form(owner=member.pk, assigned_to=manager.pk, blocked_tasks=f"{task.pk}", sla_hours="12")
    response = member_client.post("/decisions/new/", data)
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/decisions/{decision.pk}/"
    assert [o["title"] for o in decision.options] == ["Acme", "Bolt & Co"]
    assert decision.options[0]["pros"] == ["Cheap", "Local"]
    assert list(decision.blocked_tasks.all()) == [task]
    assert abs(decision.due_at - (decision.created_at + timedelta(hours=12))) < timedelta(seconds=1)
    assert Notification.objects.filter(user=manager, event="decision_assigned", type="internal_message").count() == 1
    page = member_client.get(f"/decisions/{decision.pk}/").content.decode()
    assert "Bolt &amp; Co" in page and "Cheap" in page and "raised the decision" in page
    assert f"assigned it to {manager.name}" in page
    assert "Record the decision" not in page  # a member may not decide


def test_bad_input_shows_errors_and_changes_nothing(member_client, member):
    data = _form(owner=member.pk, blocked_tasks="12, x", option_3_pros="Orphan pro")
    response = member_client.post("/decisions/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter task numbers separated by commas" in page
    assert "Give this option a title" in page
    assert not Decision.objects.exists()
    response = member_client.post("/decisions/new/", _form(owner=member.pk, blocked_tasks="999999"))
    assert "No task numbered 999999 in this organisation." in response.content.decode()


def test_comment_on_an_option_reply_and_mention(member_client, member, manager):
    decision = raise_decision(manager)
    url = f"/decisions/{decision.pk}/comments/"
    member_client.post(url, {"content": "Repairs failed twice. @" + manager.email.split("@")[0], "option_id": "o2"})
    first = DecisionComment.objects.get()
    assert first.option_id == "o2" and first.mentions == [manager.pk]
    assert Notification.objects.filter(user=manager, event="mentioned", type="internal_message").count() == 1
    member_client.post(url, {"content": "Agreed", "parent": first.pk})
    reply = DecisionComment.objects.exclude(pk=first.pk).get()
    assert reply.parent == first and reply.option_id == "o2"  # the reply stays with its option's thread
    response = member_client.post(url, {"content": "  ", "option_id": "nope"})
    assert response.status_code == 302 and DecisionComment.objects.count() == 2
    page = member_client.get(f"/decisions/{decision.pk}/").content.decode()
    option_two = page[page.index('id="option-o2"') :]
    assert option_two.index("Repairs failed twice") < option_two.index("Agreed")
    assert AuditLog.objects.filter(action="DECISION_COMMENTED", record_id=str(decision.pk)).count() == 2


def test_only_the_author_edits_a_comment(client, member, manager):
    decision = raise_decision(manager)
    comment = comments.add_comment(actor=member, decision=decision, content="First thought")
    client.force_login(manager)
    assert client.post(f"/decision-comments/{comment.pk}/edit/", {"content": "Hijack"}).status_code == 403
    client.force_login(member)
    client.post(f"/decision-comments/{comment.pk}/edit/", {"content": "Second thought"})
    comment.refresh_from_db()
    assert (comment.content, comment.is_edited) == ("Second thought", True)


def test_decide_from_the_page_releases_the_blocked_task(manager_client, manager):
    task = task_in(manager.org, manager)
    decision = raise_decision(manager, blocked_tasks=[task])
    response = manager_client.post(f"/tasks/{task.pk}/status/", {"status": "completed"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status != "completed"
    page = manager_client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Waits for the decision" in page and decision.title in page
    bad = manager_client.post(f"/decisions/{decision.pk}/decide/", {"option_id": "o1", "rationale": ""})
    assert bad.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NEEDS_INPUT
    manager_client.post(f"/decisions/{decision.pk}/decide/", {"option_id": "o1", "rationale": "Fast"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DECIDED
    manager_client.post(f"/tasks/{task.pk}/status/", {"status": "completed"})
    task.refresh_from_db()
    assert task.status == "completed"
    page = manager_client.get(f"/decisions/{decision.pk}/").content.decode()
    assert "decided: <em>Buy the pumps</em> — Fast" in page


def test_members_cannot_decide_escalate_or_defer(member_client, manager):
    decision = raise_decision(manager)
    attempts = {"decide": {"option_id": "o1", "rationale": "x"}, "escalate": {}, "defer": {"reason": "x"},
                "status": {"status": "CANCELLED"}}  # fmt: skip
    for action, data in attempts.items():
        assert member_client.post(f"/decisions/{decision.pk}/{action}/", data).status_code == 403
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.NEEDS_INPUT


def test_filters_and_sort(manager_client, manager):
    now = timezone.now()
    late = raise_decision(manager, title="Late one", sla_hours=1, now=now - timedelta(hours=5))
    raise_decision(manager, title="Fresh one", sla_hours=48, now=now, priority="LOW")
    page = manager_client.get("/decisions/?overdue=on").content.decode()
    assert "Late one" in page and "Fresh one" not in page
    page = manager_client.get("/decisions/?priority=LOW").content.decode()
    assert "Fresh one" in page and "Late one" not in page
    page = manager_client.get("/decisions/?sort=-due").content.decode()
    assert page.index("Fresh one") < page.index("Late one")
    services.decide(actor=manager, decision=late, option_id="o1", rationale="ok")
    assert "Late one" not in manager_client.get("/decisions/?overdue=on").content.decode()


def test_other_organisations_rows_are_404(client, other_org, manager, make_user):
    outsider = make_user(Role.ORG_ADMIN, org=other_org)
    decision = raise_decision(manager)
    comment = comments.add_comment(actor=manager, decision=decision, content="Mine")
    outcome = outcomes.create_outcome(actor=manager, org=manager.org, title="Ours")
    hypothesis = outcomes.create_hypothesis(actor=manager, outcome=outcome, title="H", belief="b", expected_result="e")
    person = stakeholder_for(manager)
    task = task_in(manager.org, manager)
    isms = IsmsLink.objects.create(task=task, criteria_code="A.5", criteria_version="2022")
    client.force_login(outsider)
    gets = [f"/decisions/{decision.pk}/", f"/decisions/{decision.pk}/edit/", f"/outcomes/{outcome.pk}/",
            f"/stakeholders/{person.pk}/edit/", f"/decision-comments/{comment.pk}/edit/",
            f"/hypotheses/{hypothesis.pk}/edit/"]  # fmt: skip
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [f"/decisions/{decision.pk}/decide/", f"/decisions/{decision.pk}/comments/", f"/tasks/{task.pk}/isms/",
             f"/isms-links/{isms.pk}/delete/", f"/outcomes/{outcome.pk}/status/", f"/decisions/{decision.pk}/escalate/",
             f"/hypotheses/{hypothesis.pk}/status/", f"/outcomes/{outcome.pk}/hypotheses/new/"]  # fmt: skip
    for url in posts:
        assert client.post(url, {"content": "x", "option_id": "o1", "rationale": "x"}).status_code == 404, url
    assert IsmsLink.objects.filter(pk=isms.pk).exists()
    assert decision.title not in client.get("/decisions/").content.decode()


def test_isms_and_risk_links_on_the_task_page(manager_client, manager):
    task = task_in(manager.org, manager)
    manager_client.post(f"/tasks/{task.pk}/isms/", {"criteria_code": "A.5.23", "criteria_version": "ISO 27001:2022"})
    manager_client.post(f"/tasks/{task.pk}/risks/", {"risk_id": "R-104"})
    response = manager_client.post(f"/tasks/{task.pk}/risks/", {"risk_id": "r-104"})
    assert response.status_code == 302 and RiskLink.objects.count() == 1  # a duplicate is refused
    page = manager_client.get(f"/tasks/{task.pk}/").content.decode()
    assert "A.5.23" in page and "Risk R-104" in page
    link = IsmsLink.objects.get()
    manager_client.post(f"/isms-links/{link.pk}/delete/")
    assert not IsmsLink.objects.exists()
    assert list(AuditLog.objects.filter(table_name="isms_link").values_list("action", flat=True).order_by("pk")) == [
        "CREATE",
        "DELETE",
    ]


def test_outcome_page_lists_hypotheses_and_decisions(manager_client, manager):
    outcome = outcomes.create_outcome(actor=manager, org=manager.org, title="Fewer main breaks")
    outcomes.create_hypothesis(actor=manager, outcome=outcome, title="Pressure management", belief="b",
                               expected_result="e")  # fmt: skip
    raise_decision(manager, title="Buy pressure valves", outcome=outcome)
    page = manager_client.get(f"/outcomes/{outcome.pk}/").content.decode()
    assert "Pressure management" in page and "Buy pressure valves" in page
    hypothesis = outcome.hypotheses.get()
    data = {"title": "Pressure zones", "belief": "b", "expected_result": "e", "priority": "HIGH"}
    assert manager_client.post(f"/hypotheses/{hypothesis.pk}/edit/", data).status_code == 302
    hypothesis.refresh_from_db()
    assert (hypothesis.title, hypothesis.priority) == ("Pressure zones", "HIGH")
    manager_client.post(f"/outcomes/{outcome.pk}/status/", {"status": "IN_PROGRESS"})
    outcome.refresh_from_db()
    assert outcome.status == "DRAFT"  # refused: a draft goes to Not started first
    manager_client.post(f"/outcomes/{outcome.pk}/status/", {"status": "NOT_STARTED"})
    outcome.refresh_from_db()
    assert outcome.status == "NOT_STARTED"


def test_stakeholder_pages(manager_client, manager, member):
    eve = {"name": "Eve External", "email": "eve@council.example", "type": "REGULATORY", "expertise": "permits, water"}
    response = manager_client.post("/stakeholders/new/", eve)
    assert response.status_code == 302
    eve = Stakeholder.objects.get()
    assert eve.expertise == ["permits", "water"] and eve.user is None
    response = manager_client.post(
        "/stakeholders/new/", {"name": "No user", "email": "n@x.example", "type": "INTERNAL"}
    )
    assert "An internal stakeholder is a person of the organisation" in response.content.decode()
    assert "Eve External" in manager_client.get("/stakeholders/").content.decode()


def _urls(decision, outcome, task) -> list[str]:
    return ["/decisions/", "/decisions/?overdue=on&sort=-due", f"/decisions/{decision.pk}/",
            f"/decisions/{decision.pk}/edit/", "/outcomes/", f"/outcomes/{outcome.pk}/", "/stakeholders/", "/credits/",
            f"/tasks/{task.pk}/", f"/projects/{task.project_id}/"]  # fmt: skip


def test_page_query_counts_do_not_grow(client, count_queries, manager, member):
    task = task_in(manager.org, manager)
    outcome = outcomes.create_outcome(actor=manager, org=manager.org, title="Outcome")

    def add(n):
        for i in range(n):
            person = stakeholder_for(UserFactory(org=manager.org))
            decision = raise_decision(manager, title=f"D{i}", assigned_to=member, project=task.project,
                                      outcome=outcome, blocked_tasks=[task], stakeholder=person)  # fmt: skip
            for j in range(3):
                parent = comments.add_comment(actor=member, decision=decision, content=f"c{j}", option_id="o1")
                comments.add_comment(actor=manager, decision=decision, content="reply", parent=parent)
            outcomes.create_hypothesis(actor=manager, outcome=outcome, title=f"H{i}", belief="b", expected_result="e")
            IsmsLink.objects.create(task=task, criteria_code=f"A.{i}", criteria_version="2022")
        return decision

    client.force_login(manager)
    small_urls = _urls(add(1), outcome, task)
    for url in small_urls:
        count_queries(url)  # warm per-process caches
    small = [count_queries(url) for url in small_urls]
    large_urls = _urls(add(6), outcome, task)
    large = [count_queries(url) for url in large_urls]
    assert [(url, a, b) for url, a, b in zip(large_urls, small, large, strict=True) if a != b] == []


def test_deciding_tells_owner_assignee_and_commenters(manager, member, make_user):
    owner, commenter = make_user(name="Olive Owner"), make_user(name="Cass Commenter")
    decision = raise_decision(manager, owner=owner, assigned_to=member)
    comments.add_comment(actor=commenter, decision=decision, content="Option one, please")
    services.decide(actor=manager, decision=decision, option_id="o1", rationale="Fast")
    told = set(
        Notification.objects.filter(event="decision_decided", type="internal_message").values_list("user", flat=True)
    )
    assert told == {owner.pk, member.pk, commenter.pk}  # never the decider


def test_editing_a_comment_tells_only_the_newly_mentioned(manager, member, make_user):
    other = make_user(name="Nora New", email="nora@example.com")
    decision = raise_decision(manager)
    comment = comments.add_comment(actor=member, decision=decision, content="Ask @" + manager.email.split("@")[0])
    comments.edit_comment(actor=member, comment=comment, content=comment.content + " and @nora")
    assert Notification.objects.filter(event="mentioned", user=manager, type="internal_message").count() == 1
    assert Notification.objects.filter(event="mentioned", user=other, type="internal_message").count() == 1


def test_reply_link_prepares_the_one_comment_form(member_client, member, manager):
    decision = raise_decision(manager)
    other = raise_decision(manager, title="Another")
    first = comments.add_comment(actor=manager, decision=decision, content="Costs are firm", option_id="o2")
    elsewhere = comments.add_comment(actor=manager, decision=other, content="Not this one")
    page = member_client.get(f"/decisions/{decision.pk}/").content.decode()
    assert f'href="?reply={first.pk}#comment-form"' in page and "Replying to" not in page
    page = member_client.get(f"/decisions/{decision.pk}/?reply={first.pk}").content.decode()
    assert "Replying to" in page and "Costs are firm" in page
    assert f'name="parent" value="{first.pk}"' in page
    for bad in (str(elsewhere.pk), "x"):
        assert "Replying to" not in member_client.get(f"/decisions/{decision.pk}/?reply={bad}").content.decode()
