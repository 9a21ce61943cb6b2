"""Working calendars: an organisation's working weekdays and public holidays, and a project's own exceptions.

A year's public holidays are copied from the `holidays` library for the calendar's region when that year is loaded,
then belong to the organisation: people add, rename and remove them. `holiday_years` remembers which years were
loaded, so loading a year again never brings back a holiday someone removed.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from pit.models import TimeStampedModel
from pit.tenancy import OrgManager

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def monday_to_friday() -> list[int]:
    return [0, 1, 2, 3, 4]


class OrgCalendar(TimeStampedModel):
    """One per organisation; an organisation without one works Monday to Friday with no holidays."""

    org = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="working_calendar")
    weekdays = ArrayField(models.SmallIntegerField(), default=monday_to_friday,
                          help_text="The working weekdays, Monday = 0.")  # fmt: skip
    country = models.TextField(blank=True, default="", help_text="ISO 3166 code of the public holidays' country.")
    subdivision = models.TextField(blank=True, default="", help_text="State or region, as the library names it.")
    holiday_years = ArrayField(models.SmallIntegerField(), default=list, blank=True,
                               help_text="Years whose public holidays were loaded from the library.")  # fmt: skip

    objects = OrgManager()

    class Meta:
        db_table = "org_calendar"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__contained_by=list(range(7))) & Q(weekdays__len__gte=1),
                name="org_calendar_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=~Q(country="") | Q(subdivision=""), name="org_calendar_subdivision_needs_country"
            ),
        ]

    def __str__(self) -> str:
        return f"Working calendar of {self.org}"


class Holiday(TimeStampedModel):
    """A non-working date of the whole organisation."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.TextField()
    from_library = models.BooleanField(default=False, help_text="Loaded from the holidays library, not added by hand.")

    objects = OrgManager()

    class Meta:
        db_table = "calendar_holiday"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["org", "date"], name="calendar_holiday_one_per_date"),
            models.CheckConstraint(condition=~Q(name=""), name="calendar_holiday_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class ProjectDayException(TimeStampedModel):
    """One project's own exception to its organisation's calendar: a date made non-working, or working."""

    org_path = "project__org"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="day_exceptions")
    date = models.DateField()
    working = models.BooleanField(help_text="True: the project works this date; False: it does not.")
    note = models.TextField(blank=True, default="")

    objects = OrgManager()

    class Meta:
        db_table = "project_day_exception"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="project_day_exception_one_per_date")]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} {'working' if self.working else 'not working'}"
