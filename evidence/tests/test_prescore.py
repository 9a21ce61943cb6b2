import json
import threading
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from evidence import samples, scoring, services
from evidence.models import Evidence
from evidence.tasks import prescore_task
from evidence.tests.factories import evidence_task, uploaded
from pit import ai
from pit.enums import AiModel
from pit.models import AiCallLog, AiRoute, AuditLog, JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org, member):
    return evidence_task(
        org, member, name="Pump station fence repair", description="Repair the fence and report to the asset team",
        start_date=date(2026, 11, 2), end_date=date(2026, 11, 27),
    )  # fmt: skip


def test_a_fitting_document_scores_high_with_its_reasons(member, task):
    row = uploaded(member, task, "report.pdf", samples.pdf("Fence repair at the pump station", "x" * 2000))
    assert prescore_task.run(row.pk) == 100  # the Celery task, run in-process
    row.refresh_from_db()
    assert row.ai_score == 100 and row.ai_model == AiModel.EVIDENCE_MODEL
    assert "the text mentions the task's subject (fence, pump, repair, station)" in row.ai_feedback
    assert "Rule-based pre-score 100/100 (offline evidence scorer)" in row.ai_feedback
    log = AiCallLog.objects.get()
    assert (log.job, log.model, log.provider, log.outcome, log.subject) == (
        "evidence_prescore", AiModel.EVIDENCE_MODEL, "offline", "ok", f"evidence:{row.pk}"
    )  # fmt: skip
    assert AuditLog.objects.filter(action="AI_PRESCORE", record_id=str(row.pk)).exists()


def test_the_scorer_is_deterministic_and_explains_every_deduction(org, member, task):
    photo = samples.photo("fence", taken_at=datetime(2026, 3, 1, 10, 0))
    row = uploaded(member, task, "fence.jpg", photo)
    elsewhere = evidence_task(org, member, name="Other task")
    uploaded(member, elsewhere, "fence.jpg", photo)
    facts = scoring.facts(row)
    first, second = scoring.score(facts), scoring.score(facts)
    assert first == second
    assert "+0 the photo was taken on 01 Mar 2026, outside the task's dates" in first.text
    assert "+0 the same file is evidence of another task (Other task)" in first.text
    assert first.score == 25 + 0 + 0 + 20


def test_prescoring_is_idempotent(member, task):
    row = uploaded(member, task)
    services.prescore(row.pk)
    services.prescore(row.pk)
    assert AiCallLog.objects.count() == 1


class FakeModel(BaseHTTPRequestHandler):
    replies: list = []
    seen: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeModel.seen.append((self.path, self.headers.get("Authorization"), body["model"]))
        status, payload = FakeModel.replies.pop(0) if FakeModel.replies else (200, '{"score": 73, "feedback": "ok"}')
        answer = json.dumps({"choices": [{"message": {"content": payload}}]}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def http_model(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeModel.replies, FakeModel.seen = [], []
    settings.AI_HTTP_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.AI_HTTP_API_KEY = "test-key"
    settings.AI_HTTP_MODELS = {AiModel.EVIDENCE_MODEL: "local-evidence-1"}
    settings.AI_HTTP_RETRIES = 2
    settings.AI_HTTP_TIMEOUT = 2
    yield server
    server.shutdown()
    server.server_close()


def test_a_configured_http_model_scores_with_retries(member, task, http_model):
    FakeModel.replies = [(503, "busy")]
    row = services.prescore(uploaded(member, task).pk)
    assert (row.ai_score, row.ai_feedback) == (73, "ok")
    assert FakeModel.seen == [("/v1/chat/completions", "Bearer test-key", "local-evidence-1")] * 2
    assert AiCallLog.objects.get().provider == "http"


def test_a_model_that_answers_nonsense_gives_no_score(member, task, http_model):
    FakeModel.replies = [(200, "I think it is fine")]
    row = services.prescore(uploaded(member, task).pk)
    assert row.ai_score is None
    assert AiCallLog.objects.get().outcome == "bad_response"


def test_a_model_that_is_down_gives_no_score_and_the_review_goes_on(member, task, http_model):
    http_model.shutdown()
    http_model.server_close()
    row = services.prescore(uploaded(member, task).pk)
    assert row.ai_score is None and row.review_state == "pending"
    log = AiCallLog.objects.get()
    assert (log.provider, log.outcome) == ("http", "unavailable") and "cannot reach" in log.detail


def test_an_organisation_routes_the_job_to_another_model(org, member, task, http_model):
    AiRoute.objects.create(org=org, job="evidence_prescore", model=AiModel.GPT4O_MINI, provider="offline")
    row = services.prescore(uploaded(member, task).pk)
    assert row.ai_model == AiModel.GPT4O_MINI and FakeModel.seen == []
    assert ai.route(org, "summary") == (AiModel.GPT4O_MINI, "offline")  # no HTTP name for that model


def test_a_job_without_an_offline_provider_is_logged_as_unavailable(org):
    assert ai.run("summary", org=org, payload={}) is None
    assert AiCallLog.objects.get().outcome == "unavailable"


@pytest.fixture
def eager_celery():
    from pit.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_an_upload_is_pre_scored_by_celery_after_commit(member, task, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = uploaded(member, task, "report.pdf", samples.pdf("Fence repair at the pump station", "x" * 2000))
        assert Evidence.objects.get(pk=row.pk).ai_score is None  # nothing is scored inside the upload
    assert len(callbacks) == 1
    assert Evidence.objects.get(pk=row.pk).ai_score == 100


def test_the_backlog_scores_what_was_missed_and_is_recorded(member, task, http_model):
    from datetime import timedelta

    from django.utils import timezone

    from evidence.tasks import prescore_backlog_task

    http_model.shutdown()
    http_model.server_close()
    row = uploaded(member, task)
    assert services.prescore(row.pk).ai_score is None  # the provider is down: no score, the review goes on
    Evidence.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    fresh = uploaded(member, task, "fresh.pdf", samples.pdf("just uploaded"))
    with override_settings(AI_HTTP_BASE_URL=""):  # the provider is configured away: offline scoring
        result = prescore_backlog_task.run()
    assert result["scored"] == 1
    assert Evidence.objects.get(pk=row.pk).ai_score is not None
    assert Evidence.objects.get(pk=fresh.pk).ai_score is None  # left to its own per-upload task
    assert JobRun.objects.get(pk=result["job_run"]).name == "evidence-prescore-backlog"
