"""A plan exported by PIT comes back unchanged: MSPDI and XLSX."""

import pytest
from django.urls import reverse

from accounts.permissions import Role
from interchange import services
from interchange.tests.plans import build_project, tree_of
from pit.models import AuditLog
from projects.models import Project, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org, manager, make_user):
    return build_project(org, manager, make_user(Role.MEMBER, email="sam@harbour.example", name="Sam Field"))


@pytest.mark.parametrize("export", ["interchange:export_mspdi", "interchange:export_xlsx"])
def test_an_exported_plan_imports_back_unchanged(manager_client, manager, org, project, export):
    response = manager_client.get(reverse(export, args=[project.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    pending = services.stage(actor=manager, org=org, data=data, file_name="plan", project_name="Copy")
    assert pending.problems == []
    copy = services.confirm(actor=manager, pending=pending)
    assert copy.pk != project.pk and copy.name == "Copy"
    assert tree_of(copy) == tree_of(project)
    assert len(tree_of(project)) == 13  # 3 milestones, 4 deliverables, 4 live tasks, 3 live links
    copy, project = Project.objects.get(pk=copy.pk), Project.objects.get(pk=project.pk)  # roll-ups as stored
    assert (copy.capex_total, copy.opex_total, copy.progress_percent, copy.start_date, copy.end_date) == (
        project.capex_total,
        project.opex_total,
        project.progress_percent,
        project.start_date,
        project.end_date,
    )


def test_the_import_is_audited_and_in_history(manager, org, project, manager_client):
    data = manager_client.get(reverse("interchange:export_mspdi", args=[project.pk])).content
    pending = services.stage(actor=manager, org=org, data=data, file_name="plan.xml", project_name="Copy")
    copy = services.confirm(actor=manager, pending=pending)
    tasks = list(Task.objects.filter(project=copy))
    audited = set(AuditLog.objects.filter(table_name="task", action="CREATE").values_list("record_id", flat=True))
    assert {str(task.pk) for task in tasks} <= audited
    assert all(task.history.filter(history_type="+", history_user=manager).exists() for task in tasks)
    assert AuditLog.objects.filter(action="IMPORT", table_name="project", record_id=str(copy.pk)).exists()
    links = AuditLog.objects.filter(table_name="task_dependency", action="CREATE")
    assert links.count() == 4 + 3  # the original four (one of them a deleted task's), three copied
