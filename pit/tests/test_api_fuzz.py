"""Schemathesis over the whole API (in-process, through WSGI): generated requests, valid and not, for every
operation of the schema; no answer may be a server error or break the schema (status codes, bodies, headers)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from accounts import services
from projects.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
EXAMPLES = 15
# Left out: positive_data_acceptance (that every schema-valid request succeeds). Ids of rows that do not exist,
# hand-made cursors and the services' rules are refused with 400/404 by design.
SKIP = {("DELETE", "/api/v1/auth/token/")}  # would sign the fuzzing device out


@pytest.fixture
def wsgi_app():
    # as Django's test client does: a request's start and end must not close the test's connection (and transaction)
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(org, manager, member, api):
    """A planner's device, in an organisation with a little of everything (low ids exist)."""
    TaskFactory.create_batch(3, deliverable__milestone__project__org=org, owner=member)
    return services.issue_token(user=manager, device_name="schemathesis")[1]


def fuzz(operation, headers) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    run()


def test_no_server_errors_and_every_answer_matches_the_schema(wsgi_app, token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    failures, tried = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        tried += 1
        try:
            fuzz(operation, {"Authorization": f"Bearer {token}"})
        except BaseExceptionGroup as failure:  # collect every operation's failures, then report them all
            failures[f"{operation.method.upper()} {operation.path}"] = str(failure)[:1500]
    assert tried >= 25
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
