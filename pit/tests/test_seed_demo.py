import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from accounts.models import Organisation, User
from pit.enums import ProjectType
from pit.models import AuditLog
from projects.models import Deliverable, Project, Task, TaskCluster, TaskDependency

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_full_hierarchies_that_pass_qa(capsys):
    call_command("seed_demo", "--projects", "6", "--tasks", "90", "--seed", "3")
    out = capsys.readouterr().out
    assert "admin@demo.pit.example" in out and "pit-demo-2026" in out
    assert Project.objects.count() == 6 and Task.objects.count() == 90
    assert Project.objects.filter(type=ProjectType.OPERATIONAL_STREAM).exists()
    assert not Task.objects.exclude(project_id=F("deliverable__project_id")).exists()
    assert Task.objects.filter(cluster__isnull=False, task_type="cluster_item").exists()
    assert TaskCluster.objects.count() == 6
    assert AuditLog.objects.filter(table_name="task", action="CREATE").count() == 90
    assert Project.objects.exclude(capex_total=0).exists()  # roll-ups filled
    links = TaskDependency.objects.all()
    assert links.exists() and not links.exclude(predecessor__cluster=F("successor__cluster")).exists()
    assert AuditLog.objects.filter(table_name="task_dependency").count() == links.count()
    call_command("pit_qa")  # raises CommandError on any failure


def test_seed_demo_spreads_projects_over_organisations():
    call_command("seed_demo", "--orgs", "2", "--projects", "4", "--tasks", "8")
    orgs = Organisation.objects.filter(slug__startswith="demo-")
    assert [o.projects.count() for o in orgs] == [2, 2]
    for org in orgs:  # owners never cross organisations
        assert not Deliverable.objects.filter(project__org=org).exclude(owner__org=org).exists()


def test_if_empty_reuses_existing_demo_data(capsys):
    call_command("seed_demo", "--projects", "1", "--tasks", "3")
    call_command("seed_demo", "--if-empty")
    assert "Demo data already present; reusing it." in capsys.readouterr().out
    assert Organisation.objects.filter(slug__startswith="demo-").count() == 1
    assert User.objects.filter(email="admin@demo.pit.example").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "-1"], "argument --tasks: expected a whole number from 0"),
        (["--projects", "0"], "argument --projects: expected a whole number from 1"),
        (["--orgs", "many"], "argument --orgs: expected a whole number from 1"),
    ],
)
def test_bad_arguments_get_a_clear_message_and_change_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_demo", *args)
    assert not Organisation.objects.exists()
