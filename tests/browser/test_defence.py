"""In a real browser: the main pages break no Content-Security-Policy rule and pass axe-core's WCAG 2.1 A/AA rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.models import User
from accounts.tests.factories import PASSWORD
from pit.demo import seed_organisations, seed_projects
from projects.models import Deliverable, Project, Task
from sharing.services import create_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Reports every CSP violation on the page; Playwright's init scripts run outside the page's policy.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def main_pages():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=20, seed=1)
    admin = User.objects.get(email="admin@demo.pit.example")
    admin.set_password(PASSWORD)
    admin.save(update_fields=["password"])
    project = Project.objects.order_by("pk").first()
    deliverable = Deliverable.objects.filter(project=project).order_by("pk").first()
    task = Task.objects.filter(deliverable=deliverable).order_by("pk").first()
    _, token = create_link(actor=admin, kind="project_gantt", subject=project, label="Auditor", expires_in_days=3)
    _, locked = create_link(
        actor=admin, kind="project_gantt", subject=project, label="Board", expires_in_days=3, passcode="harbour-42"
    )
    pages = {
        "dashboard": "/",
        "projects": "/projects/",
        "project tree": f"/projects/{project.pk}/",
        "deliverable": f"/deliverables/{deliverable.pk}/",
        "task": f"/tasks/{task.pk}/",
        "my work": "/my-work/",
        "board": "/board/",
        "gantt": f"/projects/{project.pk}/gantt/",
        "timeline": "/gantt/",
        "sessions": "/accounts/sessions/",
        "password": "/accounts/password/change/",
        "share form": f"/projects/{project.pk}/share/",
        "shared gantt": f"/s/{token}/",
        "shared passcode": f"/s/{locked}/",
    }
    return admin, pages


def sign_in(page, live_server, user):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def test_main_pages_report_no_csp_violation(page, live_server, main_pages):
    user, pages = main_pages
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN)
    sign_in(page, live_server, user)
    project = Project.objects.order_by("pk").first()
    admin_pages = {"admin": "/admin/", "admin project": f"/admin/projects/project/{project.pk}/change/"}
    for name, url in (pages | admin_pages).items():
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], name
    assert not [line for line in console if "Content Security Policy" in line], console
    # the policy is really enforced: an injected inline script is refused and reported
    inject = "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
    page.evaluate(inject + "document.body.append(s); }")
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


def test_main_pages_have_no_serious_accessibility_violation(page, live_server, main_pages):
    user, pages = main_pages
    axe = Axe()
    found = {}
    for name, url in {"sign in": "/accounts/login/", **pages}.items():
        if name == "dashboard":  # the sign-in page is checked signed out, the rest signed in
            sign_in(page, live_server, user)
        page.goto(live_server.url + url)
        results = axe.run(page, options=WCAG).response
        serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = [(v["id"], v["nodes"][0]["target"], len(v["nodes"])) for v in serious]
    assert not found, "\n".join(f"{name}: {issues}" for name, issues in found.items())
