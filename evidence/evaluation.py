"""How well each model's pre-score agreed with reviewers: per model and month, from stored scores and decisions.

A score at or above the threshold predicts "likely accept"; the reviewer's decision is the truth (accepted versus
rejected or needs clarification). Every scored decision counts once (a clarification round and the final decision on
the same version are two judgements).
"""

from dataclasses import dataclass

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from evidence.models import EvidenceReview
from pit.enums import AiModel, ReviewDecision


@dataclass
class Agreement:
    model: str
    month: object
    tp: int  # predicted accept, accepted
    fp: int  # predicted accept, not accepted
    fn: int  # predicted reject, accepted
    tn: int  # predicted reject, not accepted

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def model_label(self) -> str:
        return AiModel(self.model).label if self.model in AiModel.values else self.model

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def accuracy(self) -> float | None:
        return (self.tp + self.tn) / self.total if self.total else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: agreement beyond what the two raters' base rates give by chance."""
        n = self.total
        if not n:
            return None
        observed = (self.tp + self.tn) / n
        chance = ((self.tp + self.fp) * (self.tp + self.fn) + (self.fn + self.tn) * (self.fp + self.tn)) / n**2
        return 0.0 if chance == 1 else (observed - chance) / (1 - chance)


def agreement(org, threshold: int) -> list[Agreement]:
    accepted = Q(decision=ReviewDecision.ACCEPTED)
    likely = Q(ai_score__gte=threshold)
    rows = (
        EvidenceReview.objects.for_org(org)
        .filter(ai_score__isnull=False, ai_model__isnull=False)
        .exclude(decision=ReviewDecision.PENDING)
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=org.tz))
        .values("ai_model", "month")
        .annotate(
            tp=Count("pk", filter=likely & accepted),
            fp=Count("pk", filter=likely & ~accepted),
            fn=Count("pk", filter=~likely & accepted),
            tn=Count("pk", filter=~likely & ~accepted),
        )
        .order_by("-month", "ai_model")
    )  # fmt: skip
    return [Agreement(row["ai_model"], row["month"], row["tp"], row["fp"], row["fn"], row["tn"]) for row in rows]
