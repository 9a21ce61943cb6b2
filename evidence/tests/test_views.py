from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from evidence import samples, services
from evidence.models import Evidence, EvidenceReview
from evidence.tests.factories import evidence_task, keys_under, upload_file, uploaded
from pit.enums import AiModel, ReviewDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org, member):
    return evidence_task(org, member, name="Repaint the footbridge")


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER, name="Rita Reviewer")


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_the_task_page_shows_why_it_cannot_complete_and_offers_upload(member_client, task):
    page = member_client.get(task.get_absolute_url()).content.decode()
    assert "Cannot be completed yet." in page and "No evidence uploaded yet" in page
    assert f'action="/tasks/{task.pk}/evidence/"' in page and 'type="file" name="files" multiple' in page


def test_upload_through_the_page_then_the_gate_says_it_waits(member_client, task):
    response = member_client.post(
        f"/tasks/{task.pk}/evidence/", {"files": [upload_file("bridge.pdf", samples.pdf("Footbridge repainted"))],
                                        "note": "After the second coat"}, follow=True,
    )  # fmt: skip
    page = response.content.decode()
    assert "Uploaded evidence: “bridge.pdf”; it waits for a reviewer." in page
    assert "1 item(s) wait for a reviewer" in page and "bridge.pdf" in page
    row = Evidence.objects.get(task=task)
    assert row.note == "After the second coat" and keys_under(task) == [row.file_url]


def test_a_refused_upload_says_why_on_the_page(member_client, task):
    response = member_client.post(f"/tasks/{task.pk}/evidence/", {"files": [upload_file("x.exe", b"MZ" + b"\0" * 99)]},
                                  follow=True)  # fmt: skip
    assert "Nothing was uploaded: “x.exe” is a program" in response.content.decode()
    assert not Evidence.all_objects.exists() and keys_under(task) == []


def test_an_oversized_upload_is_cut_short_and_refused(member_client, task, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    big = upload_file("survey.pdf", b"%PDF-1.4\n" + b"0" * (3 * 2**20))
    small = upload_file("note.pdf", samples.pdf("small"))
    response = member_client.post(f"/tasks/{task.pk}/evidence/", {"files": [small, big]}, follow=True)
    assert "Nothing was uploaded: “survey.pdf” is larger than 1 MB" in response.content.decode()
    assert not Evidence.all_objects.exists() and keys_under(task) == []


def test_my_work_rows_offer_an_upload(member_client, task):
    page = member_client.get("/my-work/").content.decode()
    assert f'action="/tasks/{task.pk}/evidence/"' in page


def test_download_is_a_short_lived_presigned_attachment_url(member_client, member, task):
    row = uploaded(member, task, "bridge.pdf")
    response = member_client.get(f"/evidence/{row.pk}/download/")
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert url.path.endswith(row.file_url)
    assert query["response-content-disposition"] == ['attachment; filename="bridge.pdf"']
    assert int(query["X-Amz-Expires"][0]) <= 600 and "X-Amz-Signature" in query


def test_another_organisations_evidence_and_its_download_are_404(client, other_org, task, member):
    row = uploaded(member, task)
    client.force_login(UserFactory(org=other_org, role=Role.ORG_ADMIN))
    for url in [f"/evidence/{row.pk}/", f"/evidence/{row.pk}/download/", f"/reviews/{row.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/evidence/{row.pk}/delete/").status_code == 404
    assert client.post(f"/reviews/{row.pk}/", {"decision": "accepted"}).status_code == 404
    assert (
        client.post(f"/tasks/{task.pk}/evidence/", {"files": [upload_file("a.pdf", samples.pdf("a"))]}).status_code
        == 404
    )
    assert (
        Evidence.objects.get(pk=row.pk).review_state == ReviewDecision.PENDING and not EvidenceReview.objects.exists()
    )


def test_members_cannot_open_the_queue(member_client):
    assert member_client.get("/reviews/").status_code == 403


def _pending(member, task, count):
    rows = [uploaded(member, task, f"item-{task.pk}-{n}.pdf", samples.pdf(f"item {task.pk} {n}")) for n in range(count)]
    for age, row in enumerate(rows):
        Evidence.objects.filter(pk=row.pk).update(review_state_at=timezone.now() - timedelta(hours=age + 1))
    return rows


def test_the_queue_lists_pending_evidence_oldest_first_in_constant_queries(
    reviewer_client, count_queries, org, member, task
):
    rows = _pending(member, task, 2)
    Evidence.objects.filter(pk=rows[0].pk).update(ai_score=82, ai_model=AiModel.EVIDENCE_MODEL)
    page = reviewer_client.get("/reviews/").content.decode()
    assert page.index(rows[1].filename) < page.index(rows[0].filename)  # the older one first
    assert "Repaint the footbridge" in page and "Mia Member" in page and "82" in page and "2 h" in page
    few = count_queries("/reviews/")
    _pending(member, evidence_task(org, member), 5)
    assert count_queries("/reviews/") == few
    assert count_queries(f"/reviews/?score=likely&project={task.project_id}&file_type=document&q=item") == few


def test_the_queue_filters(reviewer_client, org, member, task):
    rows = _pending(member, task, 2)
    Evidence.objects.filter(pk=rows[0].pk).update(ai_score=90)
    page = reviewer_client.get("/reviews/?score=likely").content.decode()
    assert rows[0].filename in page and rows[1].filename not in page
    page = reviewer_client.get("/reviews/?score=unscored").content.decode()
    assert rows[1].filename in page and rows[0].filename not in page


def test_the_review_page_shows_the_file_inline_and_records_a_decision(reviewer_client, member, task):
    row = uploaded(member, task, "bridge.pdf")
    page = reviewer_client.get(f"/reviews/{row.pk}/").content.decode()
    assert '<iframe class="viewer" src="http://127.0.0.1' in page and "response-content-disposition=inline" in page
    assert row.sha256 in page
    response = reviewer_client.post(f"/reviews/{row.pk}/", {"decision": "rejected", "comment": ""})
    assert "Say why, so the uploader knows what to do next." in response.content.decode()
    assert Evidence.objects.get(pk=row.pk).review_state == ReviewDecision.PENDING
    response = reviewer_client.post(f"/reviews/{row.pk}/", {"decision": "rejected", "comment": "Wrong bridge"})
    assert response.status_code == 302
    response = reviewer_client.post(f"/reviews/{row.pk}/", {"decision": "accepted"})
    assert "already been reviewed" in response.content.decode()
    assert Evidence.objects.get(pk=row.pk).review_state == ReviewDecision.REJECTED


def test_the_review_page_in_constant_queries(reviewer_client, count_queries, member, task):
    row = uploaded(member, task, "bridge.jpg", samples.photo("bridge"))
    page = reviewer_client.get(f"/reviews/{row.pk}/").content.decode()
    assert '<img class="viewer"' in page
    assert count_queries(f"/reviews/{row.pk}/") <= 8


def test_the_evidence_page_shows_versions_and_who_did_what(member_client, member, reviewer, task, count_queries):
    first = uploaded(member, task, "bridge.pdf", samples.pdf("v1"))
    services.decide(actor=reviewer, evidence=first, decision=ReviewDecision.REJECTED, comment="Only one side")
    [second] = services.upload(actor=member, task=task, files=[upload_file("bridge-2.pdf", samples.pdf("v2"))],
                               replaces=first, change_summary="Both sides painted")  # fmt: skip
    page = member_client.get(f"/evidence/{second.pk}/").content.decode()
    assert "v1" in page and "v2 (current)" in page and "Both sides painted" in page
    assert "Rita Reviewer</strong> rejected (v1): “Only one side”" in page
    assert "Mia Member</strong> uploaded version 2: Both sides painted" in page
    few = count_queries(f"/evidence/{second.pk}/")
    services.upload(actor=member, task=task, files=[upload_file("bridge-3.pdf", samples.pdf("v3"))],
                    replaces=second, change_summary="Touch-ups")  # fmt: skip
    assert count_queries(f"/evidence/{second.pk}/") == few


def test_the_uploader_sees_the_rejection_reason_on_the_task(member_client, member, reviewer, task):
    row = uploaded(member, task, "bridge.pdf")
    services.decide(actor=reviewer, evidence=row, decision=ReviewDecision.REJECTED, comment="Photo of the wrong bridge")
    page = member_client.get(task.get_absolute_url()).content.decode()
    assert "Rejected by Rita Reviewer: “Photo of the wrong bridge”" in page
    assert "upload a corrected file as a new version" in page


def test_the_task_page_query_count_does_not_grow_with_evidence(member_client, member, task, count_queries):
    uploaded(member, task, "a.pdf", samples.pdf("a"))
    member_client.get(task.get_absolute_url())  # the first request of a session records the session
    few = count_queries(task.get_absolute_url())
    for name in ("b.pdf", "c.pdf", "d.pdf"):
        uploaded(member, task, name, samples.pdf(name))
    assert count_queries(task.get_absolute_url()) == few


def test_the_evaluation_page_computes_agreement(reviewer_client, reviewer, member, task, count_queries):
    cases = [(90, "accepted"), (80, "accepted"), (75, "rejected"), (30, "rejected"), (20, "accepted")]
    for n, (score, decision) in enumerate(cases):
        row = uploaded(member, task, f"e{n}.pdf", samples.pdf(f"e{n}"))
        Evidence.objects.filter(pk=row.pk).update(ai_score=score, ai_model=AiModel.EVIDENCE_MODEL)
        row.refresh_from_db()
        services.decide(actor=reviewer, evidence=row, decision=decision, comment="because")
    page = reviewer_client.get("/reviews/evaluation/").content.decode()
    # TP 2, FP 1, FN 1, TN 1: precision 2/3, recall 2/3, kappa (0.6 - 0.52) / 0.48
    assert "Evidence model" in page
    assert "<td>2</td><td>1</td><td>1</td><td>1</td>" in page
    assert "<td>0.67</td><td>0.67</td>" in page and "<td>0.17</td>" in page
    assert count_queries("/reviews/evaluation/") <= 6


def test_names_are_escaped_in_the_queue(reviewer_client, member, task):
    uploaded(member, task, "<i onmouseover=x>bold.pdf", samples.pdf("markup in the name"))
    page = reviewer_client.get("/reviews/").content.decode()
    assert "&lt;i onmouseover=x&gt;bold.pdf" in page and "<i onmouseover" not in page
