import zoneinfo

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.permissions import ADMINISTER, Role, has_perm
from pit.models import TimeStampedModel
from pit.tenancy import OrgManager, OrgQuerySet


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Australia/Sydney).")


class Organisation(TimeStampedModel):
    """The tenant. Everything in PIT belongs to exactly one organisation."""

    org_path = "pk"

    name = models.TextField()
    slug = models.SlugField(unique=True)
    time_zone = models.TextField(default="Australia/Sydney", validators=[validate_time_zone])
    fy_start_month = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month the financial year starts (7 = July, as in Australia).",
    )

    objects = OrgManager()

    class Meta:
        db_table = "organisation"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fy_start_month__gte=1, fy_start_month__lte=12), name="organisation_fy_month_1_12"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self):
        """Today's date where the organisation is, not where the server is."""
        return timezone.now().astimezone(self.tz).date()

    def financial_year(self, day) -> int:
        """The financial year `day` falls in, named by the calendar year it ends in (FY2027 = Jul 2026-Jun 2027)."""
        return day.year + 1 if self.fy_start_month > 1 and day.month >= self.fy_start_month else day.year


class Division(TimeStampedModel):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="divisions")
    name = models.TextField()

    objects = OrgManager()

    class Meta:
        db_table = "division"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="division_org_name_uniq")]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(OrgQuerySet):
    def people(self):
        """Real people: hides each organisation's system account (the actor of scheduled jobs)."""
        return self.filter(is_system=False)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.select_related("org").get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        if "org" not in fields and "org_id" not in fields:
            fields["org"], _ = Organisation.objects.get_or_create(slug="pit", defaults={"name": "PIT operators"})
        fields.setdefault("name", email.split("@")[0])
        fields.update(is_superuser=True, role=Role.ORG_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """PIT_DATABASE_SCHEMA_v0.1 section 10.1: id, name, email, role, org_id. Signs in with email."""

    email = models.EmailField()
    name = models.TextField()
    role = models.TextField(choices=Role.choices, default=Role.MEMBER)
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    is_active = models.BooleanField(default=True)
    is_system = models.BooleanField(default=False, help_text="The organisation's account for scheduled jobs.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        db_table = "user"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_uniq"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]
        indexes = [models.Index(fields=["org", "role"], name="user_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_staff(self) -> bool:
        """Django admin access follows the permission matrix rather than a separate flag."""
        return has_perm(self, ADMINISTER)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0]


class Team(TimeStampedModel):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.TextField()
    manager = models.ForeignKey(User, on_delete=models.PROTECT, related_name="managed_teams")

    objects = OrgManager()

    class Meta:
        db_table = "team"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="team_org_name_uniq")]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LEAD = "lead", "Lead"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


class TeamMembership(TimeStampedModel):
    org_path = "team__org"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.TextField(choices=TeamRole.choices, default=TeamRole.MEMBER)

    objects = OrgManager()

    class Meta:
        db_table = "team_membership"
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_uniq"),
            models.CheckConstraint(condition=models.Q(role__in=TeamRole.values), name="team_membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class UserSessionQuerySet(OrgQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class UserSession(models.Model):
    """A signed-in browser or device (ProjectPulse seed, step 1): shown to its user, who can revoke it."""

    org_path = "user__org"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.TextField(blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager.from_queryset(UserSessionQuerySet)()

    class Meta:
        db_table = "user_session"
        ordering = ["-last_active_at"]
        indexes = [models.Index(fields=["user", "-last_active_at"], name="user_session_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} from {self.ip_address or 'unknown'}"


class ApiTokenQuerySet(OrgQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A device signed in to the API (the mobile app): an opaque bearer token, of which only the SHA-256 is kept.

    Listed on the sessions page next to browser sessions; revoked there, on sign-out, on a password change and when
    the person is deactivated.
    """

    org_path = "user__org"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    device_name = models.TextField(blank=True, default="")
    user_agent = models.TextField(blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        db_table = "api_token"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.device_name or 'Device'} of {self.user_id} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` (pit.api.idempotency), replayed to its retries."""

    org_path = "user__org"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.TextField()
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, full path and body.")
    status_code = models.SmallIntegerField(null=True, blank=True, help_text="Empty while the first is running.")
    response_body = models.TextField(blank=True, default="")
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_idempotency_key"
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "method", "path"], name="api_idempotency_key_uniq")
        ]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
