"""Share links (seed 003 `share_links`): a view-only page of one thing, for someone outside PIT."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Organisation
from pit.tenancy import OrgQuerySet


class LinkState(models.TextChoices):
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    USED_UP = "used_up", "View limit reached"
    REVOKED = "revoked", "Revoked"


class ShareLinkQuerySet(OrgQuerySet):
    def live(self, now=None):
        """Links that may still be opened: not revoked, not expired, views left. The view counter's condition."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now).filter(
            Q(view_limit__isnull=True) | Q(view_count__lt=F("view_limit"))
        )


class ShareLink(models.Model):
    """One shared subject (`kind` names what it is, `subject_id` which one; `sharing.kinds` resolves them).

    Only a SHA-256 of the token is stored (the token is 256 random bits, so a fast hash is enough to look it up and
    useless to a thief of the table); the optional passcode is hashed with Django's password hashers.
    """

    org = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="share_links")
    kind = models.TextField()
    subject_id = models.BigIntegerField()
    label = models.TextField(help_text="Who it is for, so it can be told apart and revoked.")
    token_hash = models.CharField(max_length=64, unique=True)
    passcode_hash = models.TextField(blank=True, default="")
    expires_at = models.DateTimeField()
    view_limit = models.PositiveIntegerField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = models.Manager.from_queryset(ShareLinkQuerySet)()

    class Meta:
        db_table = "share_link"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["org", "kind", "subject_id"], name="share_link_subject_idx"),
            models.Index(fields=["expires_at"], name="share_link_expires_idx"),  # the retention purge
            models.Index(fields=["expires_at"], condition=Q(revoked_at__isnull=True), name="share_link_active_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(view_limit__isnull=True) | Q(view_limit__gt=0), name="share_link_limit"),
            models.CheckConstraint(
                condition=Q(view_limit__isnull=True) | Q(view_count__lte=F("view_limit")), name="share_link_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} for {self.label}"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return LinkState.REVOKED
        if self.expires_at <= now:
            return LinkState.EXPIRED
        if self.view_limit is not None and self.view_count >= self.view_limit:
            return LinkState.USED_UP
        return LinkState.ACTIVE

    @property
    def state_label(self) -> str:
        return LinkState(self.state()).label
