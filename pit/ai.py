"""The AI router (DESIGN.md section 6, seams): job kind → ai_model_enum value → provider, per organisation.

    result = ai.run("evidence_prescore", org=org, payload=facts, subject="evidence:42")

A job's model is the organisation's `ai_route` row for that job, else the job's default. Its provider is the row's
provider when set, else "http" (an OpenAI-compatible API, settings AI_HTTP_*) when that model has a configured
model name, else "offline": the deterministic function the owning app registered. Every call is logged in
`ai_call_log` (job, model, provider, latency, outcome). A provider that fails or is down gives `None`, never an
exception: the work that wanted a score goes on without one.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from pit.enums import AiModel
from pit.models import AiCallLog, AiRoute

log = logging.getLogger(__name__)

# Every job kind PIT knows, with the model it uses unless an organisation says otherwise.
JOBS: dict[str, str] = {
    "evidence_prescore": AiModel.EVIDENCE_MODEL,
    "summary": AiModel.GPT4O_MINI,
    "watchdog_summary": AiModel.GPT4O_MINI,
    "qa_review": AiModel.GPT4_1,
    "scheduling": AiModel.SCHEDULING_MODEL,
}
OFFLINE, HTTP = "offline", "http"


@dataclass
class AiResult:
    score: int | None = None
    text: str = ""
    data: dict = field(default_factory=dict)
    model: str = ""  # the ai_model_enum value that produced it (set by `run`)


class AiFailure(Exception):
    outcome = "error"


class AiUnavailable(AiFailure):
    outcome = "unavailable"


class AiTimeout(AiFailure):
    outcome = "timeout"


class AiBadResponse(AiFailure):
    outcome = "bad_response"


@dataclass(frozen=True)
class JobHandlers:
    offline: Callable[[dict], AiResult] | None = None
    prompt: Callable[[dict], list[dict]] | None = None  # payload → chat messages for an HTTP model
    parse: Callable[[str], AiResult] | None = None  # the model's reply → result (raise AiBadResponse if unusable)


_handlers: dict[str, JobHandlers] = {}


def register_job(job: str, **handlers) -> None:
    """Apps register how their job runs offline and how it talks to an HTTP model (in AppConfig.ready)."""
    if job not in JOBS:
        raise ValueError(f"unknown AI job {job!r}; add it to pit.ai.JOBS")
    _handlers[job] = JobHandlers(**handlers)


def route(org, job: str) -> tuple[str, str]:
    """(model, provider) for this organisation's `job`."""
    chosen = AiRoute.objects.filter(org=org, job=job).values_list("model", "provider").first()
    model, provider = chosen or (JOBS[job], "")
    if not provider:
        provider = HTTP if settings.AI_HTTP_BASE_URL and model in settings.AI_HTTP_MODELS else OFFLINE
    return model, provider


def run(job: str, *, org, payload: dict, subject: str = "") -> AiResult | None:
    """Run `job` for `org` on its routed provider; None when the provider failed (logged)."""
    return run_many(job, org=org, payloads={subject: payload})[subject]


def run_many(job: str, *, org, payloads: dict[str, dict]) -> dict[str, AiResult | None]:
    """Run `job` once per {subject: payload} on the organisation's route; the calls are logged in one INSERT."""
    model, provider = route(org, job)
    results, logs = {}, []
    for subject, payload in payloads.items():
        started = time.monotonic()
        outcome, detail, result = "ok", "", None
        try:
            result = PROVIDERS[provider](job, model, payload)
            result.model = model
        except AiFailure as failure:
            outcome, detail = failure.outcome, str(failure)
        except Exception as error:  # a provider's bug must not stop the work that asked for a score
            log.exception("AI job %s on %s/%s failed", job, model, provider)
            outcome, detail = "error", f"{type(error).__name__}: {error}"
        latency = round((time.monotonic() - started) * 1000)
        logs.append(AiCallLog(
            org=org, job=job, model=model, provider=provider, subject=subject, latency_ms=latency, outcome=outcome,
            detail=detail[:1000],
        ))  # fmt: skip
        results[subject] = result
    AiCallLog.objects.bulk_create(logs)
    return results


def _offline(job: str, model: str, payload: dict) -> AiResult:
    handlers = _handlers.get(job)
    if handlers is None or handlers.offline is None:
        raise AiUnavailable(f"no offline provider is registered for {job}")
    return handlers.offline(payload)


def _http(job: str, model: str, payload: dict) -> AiResult:
    handlers = _handlers.get(job)
    if handlers is None or handlers.prompt is None or handlers.parse is None:
        raise AiUnavailable(f"{job} has no prompt for an HTTP model")
    name = settings.AI_HTTP_MODELS.get(model)
    if not (settings.AI_HTTP_BASE_URL and name):
        raise AiUnavailable(f"no HTTP model is configured for {model}")
    body = {"model": name, "messages": handlers.prompt(payload), "temperature": 0}
    reply = _post_with_retries(settings.AI_HTTP_BASE_URL.rstrip("/") + "/chat/completions", body)
    try:
        text = reply["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise AiBadResponse("the reply has no choices[0].message.content") from None
    return handlers.parse(text)


# The configured URL is called directly: proxy variables in the environment are not followed.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _post_with_retries(url: str, body: dict) -> dict:
    headers = {"Content-Type": "application/json"}
    if settings.AI_HTTP_API_KEY:
        headers["Authorization"] = f"Bearer {settings.AI_HTTP_API_KEY}"
    data = json.dumps(body).encode()
    failure: AiFailure = AiUnavailable("not tried")
    for attempt in range(settings.AI_HTTP_RETRIES + 1):
        if attempt:
            time.sleep(0.2 * 2**attempt)
        try:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            with _OPENER.open(request, timeout=settings.AI_HTTP_TIMEOUT) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            failure = AiUnavailable(f"HTTP {error.code}")
            if error.code < 500 and error.code != 429:  # our request is wrong: asking again will not help
                raise failure from None
        except TimeoutError:
            failure = AiTimeout(f"no answer within {settings.AI_HTTP_TIMEOUT} s")
        except (urllib.error.URLError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            failure = (AiTimeout if isinstance(reason, TimeoutError) else AiUnavailable)(
                f"cannot reach the AI service: {reason}"
            )
        except ValueError:
            raise AiBadResponse("the reply is not JSON") from None
    raise failure


PROVIDERS: dict[str, Callable[[str, str, dict], AiResult]] = {OFFLINE: _offline, HTTP: _http}
