"""Demo evidence: small generated PDFs and photos uploaded to S3 through the service, pre-scored offline and left in
every review state, so `/reviews/` and the evaluation page are alive after `make run`."""

import random
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from evidence import samples, services
from evidence.models import Evidence
from pit.enums import ReviewDecision
from projects.models import Task

PER_ORG = 14
# What happens to each uploaded item, in turn: most wait, some are decided.
FATES = ["pending", "pending", "accepted", "pending", "rejected", "needs_clarification", "pending", "accepted"]
REASONS = {
    "rejected": "The document is not signed: upload the signed copy as a new version.",
    "needs_clarification": "Which site is this? Please add the asset number.",
}


def seed(orgs, *, seed: int) -> None:
    rng = random.Random(seed)
    for org in orgs:
        reviewer = User.objects.filter(org=org, role=Role.REVIEWER, is_system=False).order_by("pk").first()
        if reviewer is None:
            continue
        tasks = list(
            Task.objects.filter(project__org=org, requires_evidence=True, owner__is_active=True, evidence=None)
            .exclude(owner=reviewer).exclude(owner__role=Role.VIEWER)
            .select_related("project", "owner", "deliverable")
            .order_by("end_date", "pk")[:PER_ORG]
        )  # fmt: skip
        for n, task in enumerate(tasks):
            _seed_one(task, reviewer, FATES[n % len(FATES)], rng, age_hours=rng.randint(2, 24 * 12))


def _seed_one(task, reviewer, fate: str, rng, *, age_hours: int) -> None:
    if rng.random() < 0.5:
        name, data = f"{task.name[:40]} report.pdf", samples.pdf(f"Completion report: {task.name}",
                                                                   f"Deliverable: {task.deliverable.name}",
                                                                   "Checked and signed off on site.")  # fmt: skip
    else:
        taken = datetime.combine(task.start_date + timedelta(days=rng.randint(0, 3)), time(10, rng.randint(0, 59)))
        name, data = f"IMG_{rng.randint(1000, 9999)}.jpg", samples.photo(task.name[:30], taken_at=taken,
                                                                          gps=(-33.86, 151.2))  # fmt: skip
    upload = SimpleUploadedFile(name, data)
    [item] = services.upload(actor=task.owner, task=task, files=[upload], note="Uploaded with the demo data")
    services.prescore(item.pk)
    item.refresh_from_db()
    Evidence.objects.filter(pk=item.pk).update(review_state_at=timezone.now() - timedelta(hours=age_hours))
    if fate != "pending" and item.uploaded_by_id != reviewer.pk:
        services.decide(actor=reviewer, evidence=item, decision=ReviewDecision(fate), comment=REASONS.get(fate, ""))
