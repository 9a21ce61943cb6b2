"""A retry that arrives while the first request is still writing waits for it, then gets its answer."""

import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from accounts.models import IdempotencyKey
from pit.api import idempotency
from projects.models import Task
from projects.tests.factories import task_in


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_retry_waits_for_the_first_and_replays_it(org, member):
    task = task_in(org, member)
    url, body = f"/api/v1/tasks/{task.pk}/progress/", {"progress_percent": 40}
    client = APIClient()
    client.force_authenticate(member)
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="race")  # to learn its stored form
    stored = IdempotencyKey.objects.get(key="race")
    IdempotencyKey.objects.all().delete()
    answers = []

    def retry():
        other = APIClient()
        other.force_authenticate(member)
        answers.append(other.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="race"))
        connection.close()

    with transaction.atomic():  # the first request, still running: its key is claimed, its answer not yet stored
        record = IdempotencyKey.objects.create(
            user=member, key="race", method="POST", path=url, fingerprint=stored.fingerprint
        )
        waiting = threading.Thread(target=retry)
        waiting.start()
        time.sleep(0.5)
        assert not answers  # blocked on the key until the first commits
        idempotency.store(record, first)
    waiting.join(timeout=10)
    assert answers[0].status_code == 200 and answers[0]["Idempotent-Replayed"] == "true"
    assert answers[0].json() == first.json()
    assert Task.objects.get(pk=task.pk).progress_percent == 40
