import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.permissions import Role
from evidence import samples, services
from evidence.models import Evidence, EvidenceReview
from evidence.selectors import task_panel
from evidence.tests.factories import evidence_task, upload_file, uploaded
from notifications.models import Notification
from pit.enums import ReviewDecision, TaskStatus
from projects import services as project_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org, member):
    return evidence_task(org, member, name="Install signage at the depot")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="Rita Reviewer")


@pytest.fixture
def item(member, task):
    return uploaded(member, task, "signage.pdf", samples.pdf("Signage installed at the depot"))


def test_accepting_opens_the_completion_gate(member, task, reviewer, item):
    with pytest.raises(ValidationError, match="needs accepted evidence"):
        project_services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    assert "wait for a reviewer" in task_panel(task, member)["gate"].missing
    review = services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.ACCEPTED)
    assert (review.reviewer, review.decision, review.comment) == (reviewer, ReviewDecision.ACCEPTED, "")
    assert Evidence.objects.get(pk=item.pk).review_state == ReviewDecision.ACCEPTED
    assert Notification.objects.filter(user=member, event="evidence_accepted", type="internal_message").count() == 1
    assert task_panel(task, member)["gate"].open
    project_services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)


def test_a_rejection_tells_the_uploader_why_and_what_to_do(member, task, reviewer, item):
    services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.REJECTED, comment="The photo is blurred")
    note = Notification.objects.get(user=member, event="evidence_rejected", type="internal_message")
    assert "The photo is blurred" in note.message and "new version" in note.message
    assert note.link == f"/evidence/{item.pk}/"
    assert "rejected" in task_panel(task, member)["gate"].missing


@pytest.mark.parametrize("decision", [ReviewDecision.REJECTED, ReviewDecision.NEEDS_CLARIFICATION])
def test_a_comment_is_required_unless_accepting(reviewer, item, decision):
    with pytest.raises(ValidationError, match="Say why"):
        services.decide(actor=reviewer, evidence=item, decision=decision, comment="  ")
    assert Evidence.objects.get(pk=item.pk).review_state == ReviewDecision.PENDING
    assert not EvidenceReview.objects.exists()


def test_nobody_reviews_their_own_upload_and_members_do_not_review(make_user, task, item):
    with pytest.raises(PermissionDenied):
        services.decide(actor=make_user(Role.MEMBER), evidence=item, decision=ReviewDecision.ACCEPTED)
    manager = make_user(Role.MANAGER)
    own = uploaded(manager, task, "mine.pdf", samples.pdf("manager's own"))
    with pytest.raises(ValidationError, match="someone else"):
        services.decide(actor=manager, evidence=own, decision=ReviewDecision.ACCEPTED)
    assert not EvidenceReview.objects.exists()


def test_a_decision_is_final_for_its_version(reviewer, make_user, item):
    services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.REJECTED, comment="Wrong site")
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.decide(actor=make_user(Role.MANAGER), evidence=item, decision=ReviewDecision.ACCEPTED)
    assert EvidenceReview.objects.filter(evidence=item).count() == 1


def test_a_clarification_answer_reopens_the_version(member, reviewer, item):
    services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.NEEDS_CLARIFICATION, comment="Which depot?")
    assert Notification.objects.filter(user=member, event="evidence_needs_clarification").exists()
    services.answer_clarification(actor=member, evidence=item, answer="The Northern depot, gate 2")
    assert Evidence.objects.get(pk=item.pk).review_state == ReviewDecision.PENDING
    assert (
        Notification.objects.filter(user=reviewer, event="evidence_review_requested", type="internal_message").count()
        == 2
    )
    with pytest.raises(ValidationError, match="not waiting"):
        services.answer_clarification(actor=member, evidence=item, answer="again")
    services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.ACCEPTED)
    decisions = list(EvidenceReview.objects.filter(evidence=item).order_by("pk").values_list("decision", flat=True))
    assert decisions == [ReviewDecision.NEEDS_CLARIFICATION, ReviewDecision.PENDING, ReviewDecision.ACCEPTED]


def test_a_new_version_goes_back_to_the_queue_and_the_old_decision_stays(member, task, reviewer, item):
    services.decide(actor=reviewer, evidence=item, decision=ReviewDecision.ACCEPTED)
    [newer] = services.upload(
        actor=member, task=task, files=[upload_file("signage-v2.pdf", samples.pdf("v2"))], replaces=item,
        change_summary="Added the second sign",
    )  # fmt: skip
    assert newer.review_state == ReviewDecision.PENDING
    assert Evidence.all_objects.get(pk=item.pk).review_state == ReviewDecision.ACCEPTED
    assert not project_services.has_accepted_evidence(task)  # the current version is not accepted yet


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_leave_exactly_one_decision(org, member, make_user):
    task = evidence_task(org, member)
    item = uploaded(member, task, "signage.pdf", samples.pdf("concurrent"))
    reviewers = [make_user(Role.REVIEWER), make_user(Role.MANAGER)]
    decisions = [ReviewDecision.ACCEPTED, ReviewDecision.REJECTED]
    barrier = threading.Barrier(2)
    outcomes = []

    def review(person, decision):
        try:
            barrier.wait()
            services.decide(actor=person, evidence=Evidence.objects.get(pk=item.pk), decision=decision, comment="x")
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=pair) for pair in zip(reviewers, decisions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == sorted(["won", services.ALREADY_REVIEWED])
    reviews = list(EvidenceReview.objects.filter(evidence=item))
    assert len(reviews) == 1
    assert Evidence.objects.get(pk=item.pk).review_state == reviews[0].decision
