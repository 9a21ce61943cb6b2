"""Decisions benchmarks: the decision log with 20,000 decisions, a decision page with 500 comments, and the
escalation job over 100,000 decisions.

python -m pit.embedded test -- .venv/bin/python bench/decisions.py            # the sizes of issue 12
python -m pit.embedded test -- .venv/bin/python bench/decisions.py --decisions 2000 --job 10000   # a quick look
"""

import argparse
import random
import time
from datetime import timedelta

from harness import HEADER, measure, migrate, signed_in_client

OPTIONS = [{"id": "o1", "title": "Do it", "pros": ["Fast"], "cons": []},
           {"id": "o2", "title": "Wait", "pros": [], "cons": ["Slow"]}]  # fmt: skip


def seed_people():
    from accounts.models import User
    from pit import demo

    orgs = demo.seed_organisations(1, extra_staff=50)
    demo.seed_projects(orgs, projects=20, tasks=2000, seed=12)
    org = orgs[0]
    return org, User.objects.get(email="admin@demo.pit.example"), list(User.objects.filter(org=org, is_system=False))


def bulk_decisions(org, people, count: int, *, now, overdue: float, seed: int):
    """`count` open and closed decisions; a share `overdue` of them open and past due."""
    from django.db import connection

    from decisions.models import Decision
    from projects.models import Project

    rng = random.Random(seed)
    projects = list(Project.objects.filter(org=org).values_list("pk", flat=True))
    rows = []
    for n in range(count):
        late = rng.random() < overdue
        status = rng.choice(["NEEDS_INPUT", "UNDER_DISCUSSION"]) if late else rng.choice(
            ["NEEDS_INPUT", "UNDER_DISCUSSION", "DEFERRED", "CANCELLED"])  # fmt: skip
        owner = rng.choice(people)
        due = now - timedelta(hours=rng.randint(1, 500)) if late else now + timedelta(hours=rng.randint(1, 500))
        rows.append(Decision(org=org, title=f"Decision {n}", options=OPTIONS, status=status, owner=owner,
                             assigned_to=rng.choice(people), created_by=owner, due_at=due,
                             priority=rng.choice(["BLOCKING", "HIGH", "NORMAL", "LOW"]),
                             project_id=rng.choice(projects) if rng.random() < 0.6 else None))  # fmt: skip
    started = time.perf_counter()
    Decision.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE decision")  # as autovacuum leaves a settled table: index-only counts
    print(f"inserted {count:,} decisions in {time.perf_counter() - started:.1f} s", flush=True)


def commented_decision(org, admin, people, comments: int):
    from django.db import transaction

    from decisions.models import DecisionComment
    from decisions.services import comments as comment_services
    from decisions.tests.factories import raise_decision

    with transaction.atomic():
        decision = raise_decision(admin, org=org, title="A much-argued decision")
        top = []
        for n in range(comments):
            option = ["o1", "o2", ""][n % 3]
            parent = top[n % len(top)] if top and n % 4 == 3 else None
            top.append(DecisionComment(decision=decision, author=people[n % len(people)], content=f"Point {n}: " * 8,
                                       option_id=parent.option_id if parent else option, parent=parent))  # fmt: skip
            if parent is None:
                top[-1].save()
        DecisionComment.objects.bulk_create([c for c in top if c.pk is None])
        for n in range(20):  # some timeline
            comment_services.add_comment(actor=admin, decision=decision, content=f"Audited comment {n}")
    return decision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--decisions", type=int, default=20_000, help="decisions on the decision log")
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--job", type=int, default=100_000, help="decisions the escalation job scans")
    parser.add_argument("--overdue", type=float, default=0.1, help="share of the job's decisions open and overdue")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    migrate()
    from django.utils import timezone

    from decisions.escalation import escalate_overdue

    org, admin, people = seed_people()
    now = timezone.now()
    bulk_decisions(org, people, args.decisions, now=now, overdue=0.1, seed=1)
    decision = commented_decision(org, admin, people, args.comments)
    client = signed_in_client(admin)
    print(HEADER)
    pages = [
        (f"decision log, {args.decisions:,} decisions", "/decisions/"),
        ("decision log, overdue, sorted by due desc", "/decisions/?overdue=on&sort=-due"),
        ("decision log, status + priority filter", "/decisions/?status=NEEDS_INPUT&priority=HIGH"),
        (f"decision page, {args.comments} comments", f"/decisions/{decision.pk}/"),
    ]
    for name, url in pages:
        print(measure(client, name, url, args.runs).row(), flush=True)

    from decisions.models import Decision

    Decision.objects.filter(pk__lt=decision.pk).delete()  # the job's own population
    bulk_decisions(org, people, args.job, now=now, overdue=args.overdue, seed=2)
    overdue = Decision.objects.overdue(now).count()
    started = time.perf_counter()
    run = escalate_overdue(now=now)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = escalate_overdue(now=now)
    second = time.perf_counter() - started
    print(f"escalation job over {Decision.objects.count():,} decisions ({overdue:,} overdue): {first:.2f} s, "
          f"{run.rows_changed:,} escalated {run.detail['by_level']}; run again at once: {second:.2f} s, "
          f"{again.rows_changed} escalated")  # fmt: skip


if __name__ == "__main__":
    main()
