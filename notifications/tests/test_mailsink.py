"""The local mail server `make run` starts (pit/mailsink.py through pit.embedded.Smtp)."""

import os
import smtplib
from email.message import EmailMessage

from pit import embedded


def send(port: int, subject: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "pit@localhost", "mia@example.com", subject
    message.set_content("Hello")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(message)


def test_the_embedded_mail_server_writes_each_message_to_its_directory(tmp_path):
    server = embedded.Smtp(tmp_path / "mail", echo=False)
    server.start()
    try:
        send(server.port, "First")
        send(server.port, "Second")
    finally:
        server.stop()
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert [f.read_text().split("Subject: ")[1].splitlines()[0] for f in files] == ["First", "Second"]
    assert server.proc.returncode is not None  # stopped


def test_the_stack_starts_it_and_points_email_at_it_unless_mail_is_configured(monkeypatch):
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_URL"):
        monkeypatch.delenv(name, raising=False)
    with embedded.Stack(throwaway=True) as stack:  # DATABASE_URL and REDIS_URL are set: only mail starts
        [server] = stack.services
        assert os.environ["EMAIL_HOST"] == "127.0.0.1" and os.environ["EMAIL_PORT"] == str(server.port)
        send(server.port, "Through the stack")
    monkeypatch.setenv("EMAIL_URL", "smtp://mail.example.org:587")
    with embedded.Stack(throwaway=True) as stack:
        assert stack.services == []  # configured wins: nothing started
