"""Push through the real providers' client code to push services on loopback: pywebpush encrypts and POSTs to a
local Web Push endpoint, google-auth fetches an OAuth token from a local token endpoint and FCM v1 messages go to a
local FCM endpoint. Each endpoint answers as the real service does (201, 410 Gone, 404 UNREGISTERED)."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from notifications import delivery, preferences, push
from notifications.models import Delivery, Device, Notification
from notifications.services import notify, register_device


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class PushService:
    """A loopback HTTP server: records each request; answers with the status set for its path."""

    def __init__(self):
        self.requests, self.answers = [], {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status, answer = service.answers.get(self.path, (201, {}))
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def service():
    running = PushService()
    yield running
    running.stop()


@pytest.fixture
def web_push(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    push.reset()


def browser_subscription(endpoint: str) -> str:
    receiver = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = receiver.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return json.dumps({"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}})


def push_row(task, member) -> Notification:
    notify("task_assigned", [member], task)
    return Notification.objects.get(user=member, type="push")


def test_web_push_is_offered_once_configured_and_only_to_people_with_a_device(
    web_push, service, task, member, make_user
):
    assert preferences.channels_offered() == ["internal_message", "email", "push"]
    register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/ok"))
    deviceless = make_user(name="No Device")
    notify("task_assigned", [member, deviceless], task)
    assert Notification.objects.filter(type="push").get().user == member


def test_web_push_delivers_an_encrypted_message_with_vapid(web_push, service, task, member):
    register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/ok"))
    row = push_row(task, member)
    assert delivery.deliver(row.pk) == "sent"
    [(path, headers, body)] = service.requests
    assert path == "/push/ok"
    assert headers["content-encoding"] == "aes128gcm" and headers["authorization"].startswith("vapid t=")
    assert b"Pour the slab" not in body  # encrypted for the browser
    row.refresh_from_db()
    assert row.delivery == Delivery.SENT and row.delivered_at is not None


def test_a_gone_subscription_is_retired_and_the_notification_fails_without_retrying(web_push, service, task, member):
    service.answers["/push/gone"] = (410, {"reason": "unsubscribed"})
    device = register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/gone"))
    row = push_row(task, member)
    assert delivery.deliver(row.pk) == "failed"
    device.refresh_from_db()
    assert device.retired_at is not None and "410" in device.retired_reason
    row.refresh_from_db()
    assert row.delivery == Delivery.FAILED and row.delivered_at is None
    notify("task_overdue", [member], task)
    assert not Notification.objects.filter(event="task_overdue", type="push").exists()  # no live device left


def test_a_push_service_that_is_down_is_retried(web_push, service, task, member):
    service.answers["/push/busy"] = (503, {})
    device = register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/busy"))
    row = push_row(task, member)
    assert delivery.deliver(row.pk) == "retry"
    device.refresh_from_db()
    assert device.retired_at is None  # a busy service says nothing about the device
    service.answers.pop("/push/busy")
    row.refresh_from_db()
    assert delivery.deliver(row.pk, now=row.next_attempt_at) == "sent"
    assert len(service.requests) == 2


@pytest.fixture
def fcm(settings, service, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    account = {
        "type": "service_account", "project_id": "pit-test", "private_key_id": "k1", "private_key": pem.decode(),
        "client_email": "pit@pit-test.iam.gserviceaccount.com", "client_id": "1", "token_uri": f"{service.url}/token",
    }  # fmt: skip
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account))
    service.answers["/token"] = (200, {"access_token": "local-token", "expires_in": 3600, "token_type": "Bearer"})
    service.answers["/v1/projects/pit-test/messages:send"] = (200, {"name": "projects/pit-test/messages/1"})
    settings.FCM_PROJECT_ID, settings.FCM_CREDENTIALS_FILE, settings.FCM_ENDPOINT = "pit-test", str(path), service.url
    push.reset()


def test_fcm_v1_sends_with_an_oauth_token_and_retires_unregistered_tokens(fcm, service, task, member, make_user):
    register_device(user=member, platform="android", token="token-alive")
    row = push_row(task, member)
    assert delivery.deliver(row.pk) == "sent"
    sends = [(path, headers, json.loads(body)) for path, headers, body in service.requests if path != "/token"]
    [(path, headers, body)] = sends
    assert path == "/v1/projects/pit-test/messages:send" and headers["authorization"] == "Bearer local-token"
    assert body["message"]["token"] == "token-alive"
    assert body["message"]["notification"]["title"] == "Task assigned to you: Pour the slab"

    other = make_user(name="Uninstalled")
    gone = register_device(user=other, platform="ios", token="token-gone")
    unregistered = {"error": {"code": 404, "status": "NOT_FOUND", "details": [{"errorCode": "UNREGISTERED"}]}}
    service.answers["/v1/projects/pit-test/messages:send"] = (404, unregistered)
    assert delivery.deliver(push_row(task, other).pk) == "failed"
    gone.refresh_from_db()
    assert gone.retired_at is not None and "UNREGISTERED" in gone.retired_reason


def test_quiet_hours_hold_push_until_they_end(web_push, service, task, member, org):
    from datetime import datetime, time

    from notifications.models import ChannelSetting

    ChannelSetting.objects.create(org=org, user=member, channel="push", quiet_start=time(22), quiet_end=time(7))
    register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/ok"))
    row = push_row(task, member)
    night = datetime(2026, 11, 27, 23, 30, tzinfo=org.tz)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=night)
    assert delivery.deliver(row.pk, now=night) == "quiet"
    row.refresh_from_db()
    assert row.delivery == Delivery.PENDING and row.next_attempt_at == datetime(2026, 11, 28, 7, 0, tzinfo=org.tz)
    assert service.requests == []
    assert delivery.deliver(row.pk, now=row.next_attempt_at) == "sent"


def test_quiet_hours_across_midnight_and_within_a_day():
    from datetime import UTC, datetime, time

    at = datetime(2026, 1, 1, 23, 0, tzinfo=UTC)
    assert delivery.quiet_end(at, UTC, time(22), time(7)) == datetime(2026, 1, 2, 7, 0, tzinfo=UTC)
    assert delivery.quiet_end(at.replace(hour=6), UTC, time(22), time(7)) == datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    assert delivery.quiet_end(at.replace(hour=12), UTC, time(22), time(7)) is None
    assert delivery.quiet_end(at.replace(hour=13), UTC, time(12), time(14)) == datetime(2026, 1, 1, 14, tzinfo=UTC)


def test_registering_the_same_token_again_refreshes_one_device(member, make_user):
    first = register_device(user=member, platform="android", token="same")
    other = make_user(name="Next Owner")
    again = register_device(user=other, platform="android", token="same")
    assert first.pk == again.pk and Device.objects.get().user == other


def test_a_push_digest_is_one_summary_push(web_push, service, org, manager, member):
    from notifications import jobs
    from notifications.models import ChannelSetting
    from projects.tests.factories import task_in

    ChannelSetting.objects.create(org=org, user=member, channel="push", digest=True)
    register_device(user=member, platform="web", token=browser_subscription(f"{service.url}/push/ok"))
    for name in ("One", "Two"):
        notify("task_assigned", [member], task_in(org, manager, name=name))
    assert Notification.objects.filter(type="push", delivery=Delivery.HELD).count() == 2
    run = jobs.send_digests(orgs=[org])
    assert run.rows_changed == 1 and len(service.requests) == 1
    assert set(Notification.objects.filter(type="push").values_list("delivery", flat=True)) == {Delivery.SENT}
