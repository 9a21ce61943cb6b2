"""Demo evidence: small generated PDFs and photos uploaded to S3 through the service, pre-scored offline and left in
every review state, so `/reviews/` and the evaluation page are alive after `make run`. Some files fit their task
and some do not (an unrelated document, a photo from another month), and reviewers mostly agree with that."""

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

PER_ORG = 24
REASONS = {
    ReviewDecision.REJECTED: "This does not show the work on this task: upload the right file as a new version.",
    ReviewDecision.NEEDS_CLARIFICATION: "Which site is this? Please add the asset number.",
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
        for task in tasks:
            _seed_one(task, reviewer, rng)


def _seed_one(task, reviewer, rng) -> None:
    fits = rng.random() < 0.7
    name, data = _photo(task, rng, fits) if rng.random() < 0.5 else _document(task, rng, fits)
    [item] = services.upload(actor=task.owner, task=task, files=[SimpleUploadedFile(name, data)],
                             note="Uploaded with the demo data")  # fmt: skip
    services.prescore(item.pk)
    Evidence.objects.filter(pk=item.pk).update(review_state_at=timezone.now() - timedelta(hours=rng.randint(2, 300)))
    if rng.random() < 0.45:
        return  # left waiting for a reviewer
    if fits:
        decision = ReviewDecision.ACCEPTED if rng.random() < 0.85 else ReviewDecision.NEEDS_CLARIFICATION
    else:
        decision = ReviewDecision.REJECTED if rng.random() < 0.8 else ReviewDecision.ACCEPTED
    item.refresh_from_db()
    services.decide(actor=reviewer, evidence=item, decision=decision, comment=REASONS.get(decision, ""))
    if decision == ReviewDecision.REJECTED and rng.random() < 0.5:  # the uploader answers with a new version
        name, data = _document(task, rng, True)
        [newer] = services.upload(
            actor=task.owner, task=task, files=[SimpleUploadedFile(name, data)], replaces=item,
            change_summary="The signed completion report instead of the meeting minutes",
        )  # fmt: skip
        services.prescore(newer.pk)


def _photo(task, rng, fits: bool) -> tuple[str, bytes]:
    day = task.start_date + timedelta(days=rng.randint(0, 3)) if fits else task.start_date - timedelta(days=60)
    taken = datetime.combine(day, time(10, rng.randint(0, 59)))
    return f"IMG_{rng.randint(1000, 9999)}.jpg", samples.photo(task.name[:30], taken_at=taken, gps=(-33.86, 151.2))


def _document(task, rng, fits: bool) -> tuple[str, bytes]:
    if fits:
        lines = [f"Completion report: {task.name}", f"Deliverable: {task.deliverable.name}", "Signed off on site."]
    else:
        lines = ["Minutes of the monthly coordination meeting", "Apologies, actions carried over, next meeting."]
    return f"{task.name[:40]} report {rng.randint(1, 99)}.pdf", samples.pdf(*lines)
