"""Every problem is reported with its row, before anything is written; bad files are refused with a clear message."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.permissions import Role
from interchange import services
from interchange.formats import sheet
from interchange.models import PendingImport
from interchange.tests.plans import build_project, plan_counts, tree_of
from pit.models import JobRun
from projects.models import Milestone, Project

pytestmark = pytest.mark.django_db

HEADER = ",".join(sheet.COLUMNS)
BROKEN = f"""{HEADER}
1,milestone,Design,2026-03-02,2026-04-30,,,,,
2,deliverable,Drawings,2026-03-02,2026-04-17,,,,,
3,task,Survey,2026-03-32,2026-03-06,,,,,
4,task,Draw,2026-03-09,2026-03-20,nobody@else.example,,,,
5,task,Order pumps,2026-03-01,2026-03-10,,,,,
6,task,Loop A,2026-03-09,2026-03-10,,,,,8
7,task,Loop B,2026-03-11,2026-03-12,,,,,6
8,task,Loop C,2026-03-13,2026-03-14,,,,,7+1d
9,task,Waits for the loop,2026-03-16,2026-03-17,,,,,8
10,task,Costly,2026-03-09,2026-03-10,,lots,,,
11,task,Overdone,2026-03-09,2026-03-10,,,,150,
12,phase,Something,2026-03-09,2026-03-10,,,,,
13,task,Waits for a ghost,2026-03-09,2026-03-10,,,,,99
14,task,Backwards,2026-03-10,2026-03-09,,,,,
15,task,Nameless lag,2026-03-10,2026-03-12,,,,,3+400d
16,milestone,Build,2026-05-01,2026-09-30,,,,,
17,task,Lost,2026-05-04,2026-05-08,,,,,
"""
EXPECTED = {
    4: "Start “2026-03-32” is not a date",
    5: "Owner “nobody@else.example” is not an active person of this organisation",
    6: "lies outside its deliverable “Drawings” (2 Mar 2026 – 17 Apr 2026)",
    7: "“Loop A” is in a dependency loop (with rows 8, 9)",
    8: "“Loop B” is in a dependency loop (with rows 7, 9)",
    9: "“Loop C” is in a dependency loop (with rows 7, 8)",
    11: "CAPEX “lots” is not an amount",
    12: "Progress 150 is outside 0–100",
    13: "Level “phase” is not milestone, deliverable or task",
    14: "Predecessor “99” of “Waits for a ghost” is not in the file",
    15: "“Backwards” finishes (09/03/2026) before it starts (10/03/2026)",
    16: "The lag of 400 days after “3” is outside ±365 days",
    18: "This task has no deliverable above it",
}


def test_every_problem_is_reported_with_its_row_and_nothing_is_written(org, manager):
    before = plan_counts(), Project.objects.count()
    pending = services.stage(actor=manager, org=org, data=BROKEN.encode(), file_name="plan.csv", project_name="P")
    found = {}
    for problem in pending.problems:
        found.setdefault(problem["row"], []).append(problem["message"])
    for row, message in EXPECTED.items():
        assert any(message in text for text in found.get(row, [])), (row, found.get(row))
    assert 10 not in found  # waits for the loop, is not in it: no problem of its own
    assert len(found[4]) == 1  # the unreadable start is not reported as missing too
    assert set(found) == set(EXPECTED)
    with pytest.raises(services.ImportRefused) as refused:
        services.confirm(actor=manager, pending=pending)
    assert {problem["row"] for problem in refused.value.problems} == set(EXPECTED)
    assert (plan_counts(), Project.objects.count()) == before


def test_the_same_rows_are_reported_from_xlsx(org, manager):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(BROKEN)))[1:]
    data = sheet.write_xlsx([[cell or None for cell in row] for row in rows])
    pending = services.stage(actor=manager, org=org, data=data, file_name="plan.xlsx", project_name="P")
    assert {problem["row"] for problem in pending.problems} == set(EXPECTED)


def test_confirm_checks_again_and_writes_nothing_when_the_organisation_changed(org, manager, make_user):
    sam = make_user(Role.MEMBER, email="sam@harbour.example")
    good = (f"{HEADER}\n1,milestone,Design,,,,,,,\n2,deliverable,Drawings,,,,,,,\n"
            "3,task,Survey,2026-03-02,2026-03-06,SAM@harbour.example,,,,\n")  # fmt: skip
    pending = services.stage(actor=manager, org=org, data=good.encode(), file_name="plan.csv", project_name="P")
    assert pending.problems == []
    sam.is_active = False
    sam.save()
    before = plan_counts(), Project.objects.count()
    with pytest.raises(services.ImportRefused) as refused:
        services.confirm(actor=manager, pending=pending)
    assert refused.value.problems == [
        {"row": 4, "message": "Owner “SAM@harbour.example” is not an active person of this organisation."}
    ]
    assert (plan_counts(), Project.objects.count()) == before
    assert PendingImport.objects.get(pk=pending.pk).confirmed_at is None


def test_importing_into_an_existing_project_appends_and_keeps_to_its_dates(org, manager, make_user):
    project = build_project(org, manager, make_user(Role.MEMBER))
    outside = f"{HEADER}\n1,milestone,Too early,2026-01-01,2026-03-31,,,,,\n"
    pending = services.stage(actor=manager, org=org, data=outside.encode(), file_name="p.csv", project=project)
    assert pending.problems == [{"row": 2, "message": "“Too early” (1 Jan 2026 – 31 Mar 2026) lies outside its "
                                 "project “Harbour pumps” (2 Mar 2026 – 30 Sep 2026)."}]  # fmt: skip
    good = (f"{HEADER}\n1,milestone,Commissioning,,,,,,,\n2,deliverable,Tests,,,,,,,\n"
            "3,task,Run for a week,2026-09-07,2026-09-11,,,,,\n")  # fmt: skip
    pending = services.stage(actor=manager, org=org, data=good.encode(), file_name="p.csv", project=project)
    assert services.confirm(actor=manager, pending=pending) == project
    names = list(Milestone.objects.filter(project=project).order_by("order_index").values_list("name", flat=True))
    assert names == ["Design", "Build", "Spare", "Commissioning"]
    indexes = list(Milestone.objects.filter(project=project).values_list("order_index", flat=True))
    assert len(set(indexes)) == len(indexes)
    created = ("task", "Run for a week", date(2026, 9, 7), date(2026, 9, 11), manager.email, 0)
    assert created in [row[:6] for row in tree_of(project)]
    with pytest.raises(ValidationError, match="expired or was already confirmed"):
        services.confirm(actor=manager, pending=pending)


def test_a_plan_goes_after_a_single_milestone(org, manager):
    project = services.confirm(actor=manager, pending=services.stage(
        actor=manager, org=org, data=f"{HEADER}\n1,milestone,First,2026-03-02,2026-03-31,,,,,\n".encode(),
        file_name="a.csv", project_name="P"))  # fmt: skip
    second = f"{HEADER}\n1,milestone,Second,2026-03-02,2026-03-31,,,,,\n".encode()
    services.confirm(actor=manager, pending=services.stage(actor=manager, org=org, data=second, file_name="b.csv",
                                                           project=project))  # fmt: skip
    rows = Milestone.objects.filter(project=project).order_by("order_index").values_list("name", "order_index")
    assert list(rows) == [("First", 0), ("Second", 1)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither MS Project XML, XLSX nor CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old binary file (.xls or .mpp)"),
        (b"<html><body>Not a plan</body></html>", "not an MS Project XML (MSPDI) file"),
        (b'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n<Tasks>', "not well-formed"),
        (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><Project>&b;</Project>',
         "declares entities"),
        (b"PK\x03\x04garbage", "damaged ZIP"),
        (b"what,is,this\n1,2,3\n", "has no column level, name"),
        (b"", "The file is empty"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_a_clear_message(org, manager, data, message):
    before = PendingImport.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.stage(actor=manager, org=org, data=data, file_name="plan.xml", project_name="P")
    assert message in " ".join(refused.value.messages)
    assert PendingImport.objects.count() == before


def test_a_workbook_that_unpacks_too_large_is_refused(org, manager):
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (201 * 1024 * 1024))
    with pytest.raises(ValidationError, match="unpacks to more than 200 MB"):
        services.stage(actor=manager, org=org, data=packed.getvalue(), file_name="p.xlsx", project_name="P")


def test_a_file_over_the_limit_is_refused(org, manager, settings):
    settings.INTERCHANGE_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.stage(actor=manager, org=org, data=b"x" * (1024 * 1024 + 1), file_name="p.csv", project_name="P")


def test_expired_imports_are_purged_and_the_run_recorded(org, manager):
    data = f"{HEADER}\n1,milestone,Design,2026-03-02,2026-03-31,,,,,\n".encode()
    old = services.stage(actor=manager, org=org, data=data, file_name="old.csv", project_name="P")
    fresh = services.stage(actor=manager, org=org, data=data, file_name="new.csv", project_name="P")
    PendingImport.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    run = services.purge_expired()
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert JobRun.objects.get(pk=run.pk).rows_changed == 1
    assert services.purge_expired().rows_changed == 0
