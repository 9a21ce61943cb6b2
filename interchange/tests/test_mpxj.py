"""A plan written by another tool (MPXJ, through Java) imports as the documented mapping says."""

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.permissions import Role
from interchange import services
from interchange.tests.plans import build_project, tree_of

pytestmark = pytest.mark.django_db
SCRIPT = Path(__file__).with_name("mpxj_plan.py")


@pytest.fixture(scope="module")
def mpxj_file(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("mpxj") / "plan.xml"
    subprocess.run([sys.executable, str(SCRIPT), "write", str(out)], check=True, timeout=120, capture_output=True)
    return out.read_bytes()


def read_with_mpxj(path: Path) -> list[dict]:
    done = subprocess.run([sys.executable, str(SCRIPT), "read", str(path)], check=True, timeout=120,
                          capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_file_written_by_mpxj_imports_with_the_documented_mapping(mpxj_file, org, manager, make_user):
    make_user(Role.MEMBER, email="sam@harbour.example", name="Sam Field")
    pending = services.stage(actor=manager, org=org, data=mpxj_file, file_name="plan.xml", project_name="")
    assert pending.problems == []
    assert pending.project_name == "Trunk main"  # the file's title
    notes = " ".join(note["message"] for note in pending.plan["notes"])
    assert "“Checks” is a summary at outline level 3" in notes
    assert "“Backfill” has no deliverable above it" in notes
    assert "start-to-start link of “Sign-off” is left out" in notes
    project = services.confirm(actor=manager, pending=pending)
    mine, sam = manager.email, "sam@harbour.example"
    tree = tree_of(project)
    tasks = [row for row in tree if row[0] == "task"]
    assert [row[:2] for row in tree if row[0] in ("milestone", "deliverable")] == [
        ("milestone", "Civil works"), ("deliverable", "Excavation"), ("deliverable", "Civil works"),
        ("milestone", "Imported tasks"), ("deliverable", "Imported tasks"),
    ]  # fmt: skip
    assert tasks[0] == ("task", "Dig trench", date(2026, 4, 6), date(2026, 4, 10), sam, 100, Decimal("2500.50"),
                        Decimal("0.00"), "completed")  # fmt: skip
    assert tasks[1][:6] == ("task", "Lay pipe", date(2026, 4, 13), date(2026, 4, 17), mine, 30)
    assert tasks[2][:4] == ("task", "Checks / Pressure test", date(2026, 4, 20), date(2026, 4, 21))
    assert [row[1] for row in tasks[3:]] == ["Backfill", "Sign-off"]
    assert tree[0][2:4] == (date(2026, 4, 6), date(2026, 4, 24))  # Civil works spans its tasks
    links = [row for row in tree if len(row) == 3]
    assert links == [("Dig trench", "Lay pipe", 2), ("Lay pipe", "Checks / Pressure test", 0)]
    assert (project.start_date, project.end_date) == (date(2026, 4, 6), date(2026, 4, 27))


def test_mpxj_reads_pits_export_as_planning_tools_do(client, org, manager, make_user, tmp_path):
    project = build_project(org, manager, make_user(Role.MEMBER, email="sam@harbour.example"))
    client.force_login(manager)
    path = tmp_path / "export.xml"
    path.write_bytes(client.get(reverse("interchange:export_mspdi", args=[project.pk])).content)
    tasks = {task["name"]: task for task in read_with_mpxj(path)}
    assert list(tasks)[:5] == ["Design", "Drawings", "Survey the site", "Draw the pump room", "Build"]
    assert "Old idea" not in tasks  # deleted
    assert (tasks["Design"]["level"], tasks["Drawings"]["level"], tasks["Survey the site"]["level"]) == (1, 2, 3)
    assert tasks["Design"]["summary"] and not tasks["Survey the site"]["summary"]
    survey = tasks["Survey the site"]
    assert (survey["start"], survey["finish"], survey["percent"]) == ("2026-03-02", "2026-03-06", 100.0)
    assert survey["owners"] == ["sam@harbour.example"]
    assert tasks["Install valves"]["links"] == [["Draw the pump room", "FS", 5.0]]
    assert tasks["=Pressure test"]["links"] == [["Install valves", "FS", -2.0]]
