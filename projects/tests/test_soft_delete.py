import pytest
from django.core.exceptions import ValidationError

from evidence.models import Evidence
from pit.enums import EvidenceType
from pit.models import AuditLog
from projects import services
from projects.models import Deliverable, Milestone, Project, Task
from projects.tests.factories import TaskFactory, deliverable_in, task_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org_admin):
    task = task_in(org_admin.org, org_admin)
    sibling = TaskFactory(deliverable=task.deliverable)
    evidence = Evidence.objects.create(task=task, uploaded_by=org_admin, file_url="k/1", file_type=EvidenceType.PHOTO)
    return task.project, task, sibling, evidence


def test_deleting_a_project_hides_its_whole_subtree(org_admin, tree):
    project, task, sibling, evidence = tree
    cascade = services.soft_delete(actor=org_admin, obj=project)
    assert cascade == {"milestone": 1, "deliverable": 1, "task": 2, "evidence": 1}
    for model in (Project, Milestone, Deliverable, Task, Evidence):
        assert not model.objects.exists()
        assert model.all_objects.filter(deleted_at__isnull=False).exists()
    assert AuditLog.objects.filter(action="DELETE").count() == 6  # the project and five rows under it


def test_restore_brings_back_exactly_what_the_deletion_took(org_admin, tree):
    project, task, sibling, evidence = tree
    services.soft_delete(actor=org_admin, obj=sibling)  # deleted on its own, earlier
    services.soft_delete(actor=org_admin, obj=project)
    services.restore(actor=org_admin, obj=Project.all_objects.get(pk=project.pk))
    assert set(Task.objects.values_list("pk", flat=True)) == {task.pk}
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert Task.all_objects.get(pk=sibling.pk).deleted_at is not None
    assert AuditLog.objects.filter(action="RESTORE").count() == 5


def test_a_child_cannot_be_restored_under_a_deleted_parent(org_admin, tree):
    project, task, *_ = tree
    services.soft_delete(actor=org_admin, obj=project)
    with pytest.raises(ValidationError, match="Restore its deliverable"):
        services.restore(actor=org_admin, obj=Task.all_objects.get(pk=task.pk))
    assert Task.all_objects.get(pk=task.pk).deleted_at is not None


def test_admin_lists_deleted_rows_on_request_and_restores_them(client, org_admin, tree):
    project, *_ = tree
    services.soft_delete(actor=org_admin, obj=project)
    client.force_login(org_admin)
    assert project.name not in client.get("/admin/projects/project/").content.decode()
    assert project.name in client.get("/admin/projects/project/?deleted=yes").content.decode()
    response = client.post(
        "/admin/projects/project/?deleted=yes",
        {"action": "restore_selected", "_selected_action": [project.pk]},
        follow=True,
    )
    assert "Restored 1 row(s)" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists() and Task.objects.count() == 2


def test_admin_delete_is_soft(client, org_admin, tree):
    project, *_ = tree
    client.force_login(org_admin)
    client.post(f"/admin/projects/project/{project.pk}/delete/", {"post": "yes"})
    assert Project.all_objects.get(pk=project.pk).deleted_at is not None
    assert Task.all_objects.count() == 2


def test_deleted_rows_are_kept_in_history(org_admin):
    deliverable = deliverable_in(org_admin.org, org_admin)
    services.update(actor=org_admin, obj=deliverable, name="Renamed")
    assert [h.name for h in deliverable.history.order_by("history_date")][-1] == "Renamed"
