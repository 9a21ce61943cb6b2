"""The import and export pages: the flow, permissions, tenancy and query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from interchange import services
from interchange.formats import sheet
from interchange.models import PendingImport
from interchange.tests.plans import build_project, plan_counts
from projects.models import Project

pytestmark = pytest.mark.django_db

HEADER = ",".join(sheet.COLUMNS)


def csv_plan(tasks: int, *, bad_row: bool = False) -> bytes:
    lines = [HEADER, "m,milestone,Design,,,,,,,", "d,deliverable,Drawings,,,,,,,"]
    lines += [
        f"{n},task,Task {n},2026-03-02,2026-03-06,,10,20,50,{n - 1 if n > 1 else ''}" for n in range(1, tasks + 1)
    ]
    if bad_row:
        lines.append("x,task,Broken,2026-03-02,someday,,,,,")
    return "\n".join(lines).encode()


@pytest.fixture
def project(org, manager):
    return build_project(org, manager, manager)


def upload(client, data: bytes, name: str = "plan.csv", **fields):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("interchange:upload"), {"file": file, **fields})


def test_upload_preview_confirm(manager_client, manager):
    response = upload(manager_client, csv_plan(3, bad_row=True), project_name="Pumps")
    pending = PendingImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("interchange:preview", args=[pending.pk])
    page = manager_client.get(response.url).content.decode()
    assert "1 milestone(s), 1 deliverable(s), 4 task(s), 2 dependencies" in page
    assert "Finish “someday” is not a date" in page and '<td class="num">7</td>' in page
    assert "Import 4 task(s)" not in page  # no confirm button while there are problems
    assert manager_client.post(reverse("interchange:confirm", args=[pending.pk])).status_code == 409
    assert not Project.objects.filter(name="Pumps").exists()

    response = upload(manager_client, csv_plan(3), project_name="Pumps")
    pending = PendingImport.objects.order_by("-pk").first()
    page = manager_client.get(response.url).content.decode()
    assert "Import 3 task(s)" in page and "Task 2" in page
    response = manager_client.post(reverse("interchange:confirm", args=[pending.pk]))
    project = Project.objects.get(name="Pumps")
    assert response.url == project.get_absolute_url()
    assert project.tasks.count() == 3 and project.dependencies.count() == 2
    assert manager_client.get(reverse("interchange:preview", args=[pending.pk])).status_code == 404  # confirmed


def test_bad_file_is_shown_on_the_form(manager_client):
    response = upload(manager_client, b"\x89PNG\r\n\x1a\n\x00\x00", name="plan.xml", project_name="P")
    assert response.status_code == 200
    assert "neither MS Project XML, XLSX nor CSV" in response.content.decode()
    assert PendingImport.objects.count() == 0


def test_discard(manager_client, manager, org):
    pending = services.stage(actor=manager, org=org, data=csv_plan(2), file_name="p.csv", project_name="P")
    response = manager_client.post(reverse("interchange:discard", args=[pending.pk]))
    assert response.status_code == 302 and not PendingImport.objects.exists()


def test_only_planners_import(client, make_user):
    client.force_login(make_user(Role.MEMBER))
    assert client.get(reverse("interchange:upload")).status_code == 403
    assert upload(client, csv_plan(1), project_name="P").status_code == 403
    assert PendingImport.objects.count() == 0


def test_someone_elses_or_another_organisations_import_is_a_404(client, org, other_org, manager, make_user):
    pending = services.stage(actor=manager, org=org, data=csv_plan(2), file_name="p.csv", project_name="P")
    before = plan_counts()
    for person in (make_user(Role.MANAGER), UserFactory(org=other_org, role=Role.ORG_ADMIN)):
        client.force_login(person)
        assert client.get(reverse("interchange:preview", args=[pending.pk])).status_code == 404
        assert client.post(reverse("interchange:confirm", args=[pending.pk])).status_code == 404
        assert client.post(reverse("interchange:discard", args=[pending.pk])).status_code == 404
    assert plan_counts() == before and PendingImport.objects.filter(pk=pending.pk).exists()


def test_importing_into_another_organisations_project_is_refused(manager_client, other_org):
    theirs = build_project(other_org, *(2 * [UserFactory(org=other_org, role=Role.MANAGER)]))
    response = upload(manager_client, csv_plan(1), project=theirs.pk)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert PendingImport.objects.count() == 0


def test_export_is_for_anyone_who_may_view_and_only_in_the_organisation(client, project, make_user, other_org):
    client.force_login(make_user(Role.VIEWER))
    xml = client.get(reverse("interchange:export_mspdi", args=[project.pk]))
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    assert b"<Name>Install valves</Name>" in xml.content and b"<LinkLag>24000</LinkLag>" in xml.content
    xlsx = client.get(reverse("interchange:export_xlsx", args=[project.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert 'filename="harbour-pumps.xlsx"' in xlsx["Content-Disposition"]
    client.force_login(UserFactory(org=other_org, role=Role.ORG_ADMIN))
    assert client.get(reverse("interchange:export_mspdi", args=[project.pk])).status_code == 404
    assert client.get(reverse("interchange:export_xlsx", args=[project.pk])).status_code == 404


def test_templates_download(member_client):
    assert b"Install valves" in member_client.get(reverse("interchange:template_csv")).content
    assert member_client.get(reverse("interchange:template_xlsx")).content[:2] == b"PK"


def test_links_on_the_project_page_and_the_projects_list(manager_client, project, make_user):
    page = manager_client.get(project.get_absolute_url()).content.decode()
    assert reverse("interchange:export_mspdi", args=[project.pk]) in page
    assert f"{reverse('interchange:upload')}?project={project.pk}" in page
    assert "Import a plan" in manager_client.get(reverse("projects:list")).content.decode()
    member_client = Client()
    member_client.force_login(make_user(Role.MEMBER))
    member_page = member_client.get(project.get_absolute_url()).content.decode()
    assert reverse("interchange:export_xlsx", args=[project.pk]) in member_page
    assert reverse("interchange:upload") not in member_page
    assert "Import a plan" not in member_client.get(reverse("projects:list")).content.decode()


def test_page_queries_do_not_grow_with_the_plan(manager_client, manager, org, count_queries):
    small = services.stage(actor=manager, org=org, data=csv_plan(3), file_name="s.csv", project_name="S")
    large = services.stage(actor=manager, org=org, data=csv_plan(400), file_name="l.csv", project_name="L")
    manager_client.get(reverse("interchange:upload"))  # the session's first request records it: not the page's
    preview = [count_queries(reverse("interchange:preview", args=[p.pk])) for p in (small, large)]
    assert preview[0] == preview[1] <= 4
    projects = [services.confirm(actor=manager, pending=p) for p in (small, large)]
    for name in ("interchange:export_mspdi", "interchange:export_xlsx"):
        counts = [count_queries(reverse(name, args=[p.pk])) for p in projects]
        assert counts[0] == counts[1] <= 8, name
    assert count_queries(reverse("interchange:upload")) <= 6
