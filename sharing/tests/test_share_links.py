"""Share links: a project's Gantt for someone outside PIT, read-only, limited, revocable, not guessable."""

import datetime
import hashlib
import re
import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from pit.models import AuditLog
from projects import services as project_services
from projects.tests.factories import ProjectFactory, TaskFactory, task_in
from sharing import services
from sharing.kinds import PROJECT_GANTT
from sharing.models import ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the passcode counters live in Redis, which outlives each test's transaction


@pytest.fixture
def task(org, manager):
    return task_in(org, manager, name="Pour the footings")


def share(manager, project, **fields):
    fields = {"label": "Council engineer", "expires_in_days": 14} | fields
    return services.create_link(actor=manager, kind=PROJECT_GANTT.code, subject=project, **fields)


def test_manager_creates_a_link_and_sees_it_once(manager_client, task):
    project = task.project
    response = manager_client.post(
        f"/projects/{project.pk}/share/", {"label": "Council engineer", "expires_in_days": 7}, follow=True
    )
    body = response.content.decode()
    token = re.search(r"http://testserver/s/([\w-]+)/", body).group(1)
    assert "copy it now" in body and 'id="share-links"' in body and "Council engineer" in body
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (link.kind, link.subject_id, link.org_id) == ("project_gantt", project.pk, project.org_id)
    assert datetime.timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= datetime.timedelta(days=7)
    entry = AuditLog.objects.get(action="SHARE_LINK_CREATED")
    assert token not in str(entry.after_state) and "token_hash" not in entry.after_state
    assert token not in manager_client.get(f"/projects/{project.pk}/").content.decode()  # never shown again


def test_bad_settings_are_refused_in_place(manager_client, task):
    url = f"/projects/{task.project_id}/share/"
    for data, message in [
        ({"label": "X", "expires_in_days": 91}, "less than or equal to 90"),
        ({"label": "X", "expires_in_days": 0}, "greater than or equal to 1"),
        ({"label": "X", "expires_in_days": 5, "view_limit": 0}, "greater than or equal to 1"),
        ({"label": "X", "expires_in_days": 5, "passcode": "123"}, "at least 6 characters"),
        ({"label": "", "expires_in_days": 5}, "This field is required"),
    ]:
        response = manager_client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    assert not ShareLink.objects.exists()


def test_shared_page_shows_only_the_gantt_and_hides_from_search(manager, task):
    other = ProjectFactory(org=task.project.org, owner=manager, name="Secret other project")
    link, token = share(manager, task.project)
    response = Client().get(f"/s/{token}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert task.project.name in body and "Pour the footings" in body and "<svg" in body
    assert other.name not in body and "Sign out" not in body
    assert not re.search(r"<a\b", body), "no link leads into PIT"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow" and response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    link.refresh_from_db()
    assert link.view_count == 1 and link.last_viewed_at is not None
    assert AuditLog.objects.filter(action="SHARE_LINK_VIEWED", record_id=str(link.pk)).count() == 1


def test_view_limit_is_kept(manager, task):
    link, token = share(manager, task.project, view_limit=2)
    visitor = Client()
    assert [visitor.get(f"/s/{token}/").status_code for _ in range(3)] == [200, 200, 410]
    assert "opened as many times as it allows" in visitor.get(f"/s/{token}/").content.decode()
    link.refresh_from_db()
    assert link.view_count == 2


@pytest.mark.django_db(transaction=True)
def test_the_last_view_is_given_once_under_concurrency(manager, task):
    link, _ = share(manager, task.project, view_limit=1)
    start, results = threading.Barrier(4), []

    def view():
        start.wait()
        try:
            results.append(services.record_view(ShareLink.objects.select_related("org").get(pk=link.pk)))
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert ShareLink.objects.get(pk=link.pk).view_count == 1


def test_expired_revoked_unknown_and_removed_links_answer_clearly(manager, task):
    expired, expired_token = share(manager, task.project)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    revoked, revoked_token = share(manager, task.project)
    services.revoke_link(actor=manager, link=revoked)
    visitor = Client()
    for url, status, text in [
        (f"/s/{expired_token}/", 410, "This link has expired"),
        (f"/s/{revoked_token}/", 410, "withdrawn by whoever shared it"),
        ("/s/not-a-real-token/", 404, "This link does not exist"),
    ]:
        response = visitor.get(url)
        assert (response.status_code, response["X-Robots-Tag"]) == (status, "noindex, nofollow"), url
        assert text in response.content.decode(), url
    _, token = share(manager, task.project)
    project_services.soft_delete(actor=manager, obj=task.project)
    assert "no longer available" in visitor.get(f"/s/{token}/").content.decode()


def test_revoke_from_the_project_page(manager_client, manager, member, task):
    link, token = share(manager, task.project)
    page = manager_client.get(f"/projects/{task.project_id}/").content.decode()
    assert f'action="/share-links/{link.pk}/revoke/"' in page and "Active" in page
    member_client = Client()
    member_client.force_login(member)
    assert member_client.post(f"/share-links/{link.pk}/revoke/").status_code == 403
    assert 'id="share-links"' not in member_client.get(f"/projects/{task.project_id}/").content.decode()
    response = manager_client.post(f"/share-links/{link.pk}/revoke/", follow=True)
    assert "is revoked: it no longer opens" in response.content.decode()
    assert Client().get(f"/s/{token}/").status_code == 410
    entry = AuditLog.objects.get(action="SHARE_LINK_REVOKED")
    assert entry.user == manager and entry.record_id == str(link.pk)


def test_another_organisations_link_is_a_404(client, manager, task, other_org):
    link, _ = share(manager, task.project)
    client.force_login(UserFactory(org=other_org, role=Role.MANAGER))
    assert client.post(f"/share-links/{link.pk}/revoke/").status_code == 404
    assert client.get(f"/projects/{task.project_id}/share/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_passcode_is_asked_first_and_views_count_only_after_it(manager, task):
    link, token = share(manager, task.project, passcode="harbour-42")
    assert link.passcode_hash.startswith(("pbkdf2", "md5", "argon2")) and "harbour-42" not in link.passcode_hash
    visitor = Client()
    first = visitor.get(f"/s/{token}/")
    assert "needs a passcode" in first.content.decode() and "Pour the footings" not in first.content.decode()
    wrong = visitor.post(f"/s/{token}/", {"passcode": "guess"})
    assert wrong.status_code == 403 and "That passcode is not right." in wrong.content.decode()
    right = visitor.post(f"/s/{token}/", {"passcode": "harbour-42"})
    assert right.status_code == 302
    assert "Pour the footings" in visitor.get(f"/s/{token}/").content.decode()
    link.refresh_from_db()
    assert link.view_count == 1


def test_passcode_guessing_is_throttled_per_link_and_per_address(manager, task):
    link, token = share(manager, task.project, passcode="harbour-42")
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [guesser.post(f"/s/{token}/", {"passcode": f"guess-{n}"}).status_code for n in range(5)]
    assert statuses == [403, 403, 403, 403, 429]
    locked = guesser.post(f"/s/{token}/", {"passcode": "harbour-42"})  # even the right one, for now
    assert locked.status_code == 429 and "Too many wrong passcodes" in locked.content.decode()
    assert Client(REMOTE_ADDR="10.2.2.2").post(f"/s/{token}/", {"passcode": "harbour-42"}).status_code == 429

    cache.clear()
    links = [share(manager, task.project, passcode="harbour-42")[1] for _ in range(5)]
    spread = [guesser.post(f"/s/{t}/", {"passcode": "nope-nope"}).status_code for t in links]
    assert spread == [403, 403, 403, 403, 429]  # the same address across many links
    assert Client(REMOTE_ADDR="10.3.3.3").post(f"/s/{links[0]}/", {"passcode": "harbour-42"}).status_code == 302


def test_project_page_queries_do_not_grow_with_links(manager_client, manager, task, count_queries):
    url = f"/projects/{task.project_id}/"
    share(manager, task.project)
    count_queries(url)
    few = count_queries(url)
    for n in range(6):
        share(manager, task.project, label=f"Reader {n}")
    assert count_queries(url) == few


def test_share_form_and_shared_page_queries_do_not_grow(manager_client, manager, task, count_queries):
    _, token = share(manager, task.project)
    pages = [f"/projects/{task.project_id}/share/", f"/s/{token}/"]
    for url in pages:
        count_queries(url)
    few = [count_queries(url) for url in pages]
    for n in range(6):
        share(manager, task.project, label=f"Reader {n}")
        TaskFactory(deliverable=task.deliverable, owner=manager)  # a bigger chart
    assert [count_queries(url) for url in pages] == few


def test_the_service_refuses_what_the_form_would(manager, member, task):
    for actor, fields, error in [
        (member, {}, "does not allow sharing"),
        (manager, {"expires_in_days": 91}, "between 1 and 90 days"),
        (manager, {"view_limit": 0}, "view limit"),
        (manager, {"label": "  "}, "who the link is for"),
    ]:
        with pytest.raises((PermissionDenied, ValidationError), match=error):
            share(actor, task.project, **fields)
    assert not ShareLink.objects.exists()


def test_org_admin_finds_and_revokes_links_in_admin(client, org_admin, manager, task, other_org):
    mine, token = share(manager, task.project)
    theirs, _ = share(UserFactory(org=other_org, role=Role.MANAGER), ProjectFactory(org=other_org), label="Theirs")
    client.force_login(org_admin)
    listing = client.get("/admin/sharing/sharelink/").content.decode()
    assert "Council engineer" in listing and "Theirs" not in listing
    detail = client.get(f"/admin/sharing/sharelink/{mine.pk}/change/").content.decode()
    assert mine.token_hash not in detail
    response = client.post(
        "/admin/sharing/sharelink/", {"action": "revoke", "_selected_action": [mine.pk, theirs.pk]}, follow=True
    )
    assert "Revoked 1 link." in response.content.decode()
    assert Client().get(f"/s/{token}/").status_code == 410
    assert ShareLink.objects.get(pk=theirs.pk).revoked_at is None
