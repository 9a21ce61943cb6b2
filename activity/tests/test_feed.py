"""The feed: sentences for each kind of change, filters, keyset pagination."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.permissions import Role
from activity import feed
from activity.sentences import sentence
from activity.tests.factories import plan
from pit.enums import TaskStatus
from projects import jobs, services

pytestmark = pytest.mark.django_db


def texts(org, **kwargs):
    filters = kwargs.pop("filters", feed.Filters())
    return [entry.text for entry in feed.page(org, filters=filters, **kwargs).entries]


@pytest.fixture
def sam(make_user):
    return make_user(Role.MANAGER, name="Sam Reid")


@pytest.fixture
def ana(make_user):
    return make_user(Role.MEMBER, name="Ana Doyle")


def test_sentences_for_each_kind_of_change(org, sam, ana):
    project, _, deliverable, tasks = plan(org, sam, tasks=2)
    valves = services.create_task(actor=sam, deliverable=deliverable, name="Install valves", owner=sam,
                                  start_date=datetime.date(2026, 7, 3), end_date=datetime.date(2026, 7, 6))  # fmt: skip
    services.update(actor=sam, obj=valves, start_date=datetime.date(2026, 7, 10), end_date=datetime.date(2026, 7, 13))
    services.update(actor=sam, obj=valves, end_date=datetime.date(2026, 7, 20))
    slab = tasks[0]
    services.update(actor=sam, obj=slab, name="Pour slab")
    services.set_task_status(actor=sam, task=slab, status=TaskStatus.COMPLETED)
    services.update(actor=sam, obj=valves, owner=ana)
    services.set_task_progress(actor=sam, task=valves, progress_percent=40)
    services.update(actor=sam, obj=valves, capex_cost=Decimal("2500"))
    services.soft_delete(actor=sam, obj=tasks[1])
    services.restore(actor=sam, obj=tasks[1])
    found = texts(org, project=project)
    assert found[:9] == [
        "Sam Reid restored task Task 1",
        "Sam Reid deleted task Task 1",
        "Sam Reid changed Install valves’s CAPEX from $0.00 to $2,500.00",
        "Sam Reid set Install valves’s progress from 0 % to 40 %",
        "Sam Reid handed Install valves from Sam Reid to Ana Doyle",
        "Sam Reid set Pour slab to Done and set its progress from 0 % to 100 %",
        "Sam Reid renamed Task 0 to Pour slab",
        "Sam Reid changed the end of Install valves from 13 Jul 2026 to 20 Jul 2026",
        "Sam Reid moved Install valves from 3 Jul 2026 to 10 Jul 2026",
    ]
    assert found[9] == "Sam Reid added task Install valves"


def test_status_engine_and_reordering_in_words(org, sam):
    project, _, _, tasks = plan(org, sam, tasks=2)
    jobs.recompute_statuses(orgs=[org], today=tasks[0].start_date)  # they were overdue
    services.move(actor=sam, obj=tasks[1], offset=-1)
    found = texts(org, project=project)
    assert found[0] == "Sam Reid reordered Task 0"  # each moved row is its own audit row
    assert found[1] == "Sam Reid reordered Task 1"
    assert {found[2], found[3]} == {"The status engine set Task 0 to Active", "The status engine set Task 1 to Active"}


def test_cascade_and_other_tables():
    assert (
        sentence(
            actor="Sam",
            action="DELETE",
            table="task",
            name="Dig",
            before=None,
            after={"with": "deliverable:4"},
            names={},
        )  # fmt: skip
        == "Sam deleted task Dig along with its deliverable"
    )
    assert sentence(actor="Ana", action="LOGIN", table="user", name="#3", before=None, after=None, names={}) == (
        "Ana signed in user #3"
    )
    moved_both = {"start_date": "2026-03-01", "end_date": "2026-03-05"}
    after = {"start_date": "2026-03-02", "end_date": "2026-03-09"}
    said = sentence(actor="Sam", action="UPDATE", table="task", name="Dig", before=moved_both, after=after, names={})
    assert said == "Sam rescheduled Dig from 1 Mar 2026 – 5 Mar 2026 to 2 Mar 2026 – 9 Mar 2026"


def test_names_with_braces_are_text(org, sam):
    project, _, _, tasks = plan(org, sam, tasks=1)
    services.update(actor=sam, obj=tasks[0], name="Fix {item} {0}", progress_percent=5)
    assert (
        texts(org, project=project)[0]
        == "Sam Reid set Fix {item} {0}’s progress from 0 % to 5 % and renamed Task 0 to Fix {item} {0}"
    )


def test_filters_by_person_kind_item_and_dates(org, sam, ana):
    project, milestone, _, tasks = plan(org, sam, tasks=2)
    services.set_task_progress(actor=ana, task=tasks[0], progress_percent=30)
    services.set_task_status(actor=sam, task=tasks[1], status=TaskStatus.BLOCKED, blocked_reason="Rain")
    services.update(actor=sam, obj=milestone, owner=ana)
    assert texts(org, project=project, filters=feed.Filters(person=ana)) == [
        "Ana Doyle set Task 0’s progress from 0 % to 30 %"
    ]
    assert texts(org, project=project, filters=feed.Filters(kind="status")) == ["Sam Reid set Task 1 to Blocked"]
    assert texts(org, project=project, filters=feed.Filters(kind="owner")) == [
        "Sam Reid handed Civil works from Sam Reid to Ana Doyle"
    ]
    added = texts(org, project=project, filters=feed.Filters(kind="added"))
    assert len(added) == 5 and added[-1] == "Sam Reid added project Harbour pump station"
    assert texts(org, project=project, filters=feed.Filters(item="milestone", kind="added")) == [
        "Sam Reid added milestone Civil works"
    ]
    today = timezone.now().astimezone(org.tz).date()
    assert len(texts(org, project=project, filters=feed.Filters(start=today, end=today))) == 8
    assert texts(org, project=project, filters=feed.Filters(end=today - datetime.timedelta(days=1))) == []


def test_keyset_pages_cover_everything_once(org, sam):
    project, _, _, tasks = plan(org, sam, tasks=1)
    for value in range(1, 12):
        services.set_task_progress(actor=sam, task=tasks[0], progress_percent=value)
    seen, cursor = [], None
    while True:
        page = feed.page(org, filters=feed.Filters(), project=project, cursor=cursor, size=4)
        seen += [entry.id for entry in page.entries]
        if page.next is None:
            break
        cursor = feed.Cursor.parse(str(page.next))
    assert len(seen) == len(set(seen)) == 15  # 4 creations and 11 progress changes
    assert seen == sorted(seen, reverse=True)


def test_scopes_stay_in_their_project_task_and_organisation(org, other_org, sam):
    project, _, _, tasks = plan(org, sam, tasks=2)
    other_project, _, _, _ = plan(org, sam, tasks=1)
    outsider = other_org.users.first() or sam.__class__.objects.create_user(
        "x@inland.example", None, name="Xavier", org=other_org
    )
    plan(other_org, outsider, tasks=1)
    services.set_task_progress(actor=sam, task=tasks[0], progress_percent=10)
    assert texts(org, task=tasks[0]) == [
        "Sam Reid set Task 0’s progress from 0 % to 10 %",
        "Sam Reid added task Task 0",
    ]
    assert all("Xavier" not in text for text in texts(org))
    assert len(texts(org, project=project)) == 6 and len(texts(org, project=other_project)) == 4
    assert len(texts(org)) >= 10


def test_bad_cursor_is_refused():
    for value in ("nonsense", "2026-01-01_x", "2026-01-01T00:00:00_3"):
        with pytest.raises(feed.BadCursor):
            feed.Cursor.parse(value)
    assert feed.Cursor.parse("") is None
