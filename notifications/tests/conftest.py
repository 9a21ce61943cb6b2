import pytest

from notifications import push
from pit.mailsink import MailSink
from projects.tests.factories import task_in


def smtp_mailers(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "timeout": 5}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


@pytest.fixture
def mail_sink(tmp_path, settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, and Django's mail pointed at it."""
    sink = MailSink(tmp_path / "mail").start()
    settings.MAILERS = smtp_mailers(sink.port)
    yield sink
    sink.stop()


@pytest.fixture
def task(org, manager):
    return task_in(org, manager, name="Pour the slab")


@pytest.fixture(autouse=True)
def no_push_configured(settings):
    """Push is off unless a test configures a provider."""
    settings.WEBPUSH_VAPID_PRIVATE_KEY = settings.FCM_PROJECT_ID = ""
    push.reset()
    yield
    push.reset()
