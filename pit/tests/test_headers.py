"""Every main page carries the security headers, and none holds a script the Content-Security-Policy would block."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from accounts.models import User
from pit.demo import seed_organisations, seed_projects
from projects.models import Deliverable, Project, Task

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class ScriptAudit(HTMLParser):
    """What a strict CSP refuses: inline scripts without the response's nonce, on* handlers, javascript: URLs."""

    def __init__(self, nonce: str | None):
        super().__init__()
        self.nonce, self.problems, self.scripts = nonce, [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> inline event handler")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self.scripts += 1
            src, kind = attrs.get("src"), (attrs.get("type") or "").lower()
            if src is not None and (not src.startswith("/") or src.startswith("//")):
                self.problems.append(f"script from another origin: {src}")
            if src is None and kind not in DATA_SCRIPT_TYPES and (not self.nonce or attrs.get("nonce") != self.nonce):
                self.problems.append("inline <script> without the response's nonce")


def nonce_of(policy: str) -> str | None:
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == "script-src":
            return next((p[7:-1] for p in parts if p.startswith("'nonce-")), None)
    return None


@pytest.fixture
def pages(client):
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=20, seed=1)
    admin = User.objects.get(email="admin@demo.pit.example")
    project = Project.objects.order_by("pk").first()
    deliverable = Deliverable.objects.filter(project=project).order_by("pk").first()
    task = Task.objects.filter(deliverable=deliverable).order_by("pk").first()
    client.force_login(admin)
    return [
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        f"/projects/{project.pk}/edit/",
        f"/deliverables/{deliverable.pk}/",
        f"/tasks/{task.pk}/",
        "/my-work/",
        "/board/",
        f"/projects/{project.pk}/gantt/",
        f"/projects/{project.pk}/gantt/table/",
        "/gantt/",
        "/accounts/sessions/",
        "/accounts/password/change/",
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
    ]


def check_headers(response, url):
    policy = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert "'self'" in directives["script-src"] and "'unsafe-inline'" not in directives["script-src"], url
    assert "'unsafe-eval'" not in directives["script-src"], url
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"], url
    assert directives["base-uri"] == ["'none'"], url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"], url


def test_main_pages_send_the_security_headers_and_no_blockable_script(client, pages):
    scripts = 0
    for url in pages + ["/accounts/login/"]:
        if url == "/accounts/login/":
            client.logout()
        response = client.get(url)
        assert response.status_code == 200, url
        check_headers(response, url)
        audit = ScriptAudit(nonce_of(response["Content-Security-Policy"]))
        audit.feed(response.content.decode())
        assert not audit.problems, (url, audit.problems)
        scripts += audit.scripts
    assert scripts >= len(pages)  # the audit saw the pages' scripts (confirm.js on every page at least)


def test_the_audit_catches_what_csp_would_block():
    audit = ScriptAudit("abc")
    audit.feed(
        '<script>alert(1)</script><script nonce="abc">ok()</script><button onclick="x()">b</button>'
        '<a href="javascript:x()">a</a><script src="https://cdn.example/x.js"></script>'
        '<script type="application/json">{"data": 1}</script>'
    )
    assert len(audit.problems) == 4


def test_downloads_of_user_content_are_attachments(client, pages):
    project = Project.objects.order_by("pk").first()
    for url in (f"/projects/{project.pk}/gantt.svg", f"/projects/{project.pk}/gantt.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment; filename="), url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_production_settings_add_hsts_and_secure_cookies():
    script = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "SECRET_KEY": "x7!" + "k2#p9@v4$" * 6,
        "ALLOWED_HOSTS": "pit.example.com",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "Lax"]
