"""Forms of the calendar pages: the organisation's settings, its holidays, and a project's exceptions."""

from django import forms

from calendars import regions
from calendars.models import WEEKDAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, widget=forms.CheckboxSelectMultiple, label="Working weekdays",
        error_messages={"required": "Choose at least one working weekday."},
    )  # fmt: skip
    country = forms.ChoiceField(required=False, label="Public holidays of",
                                help_text="The country whose public holidays the calendar loads.")  # fmt: skip
    subdivision = forms.CharField(required=False, label="State or region",
                                  help_text="Its code in the holidays library, e.g. NSW, VIC, BY, CA.")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "No public holidays"), *regions.countries().items()]


class LoadYearForm(forms.Form):
    year = forms.IntegerField(label="Year", min_value=1970, max_value=2199)


class HolidayForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    name = forms.CharField(label="Name", max_length=200)


class RenameForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200,
                           error_messages={"required": "Give the holiday a name."})  # fmt: skip


class ExceptionForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    working = forms.TypedChoiceField(
        choices=[("0", "Not working (the project stops)"), ("1", "Working (the project works)")],
        coerce=lambda value: value == "1", label="This date is",
    )  # fmt: skip
    note = forms.CharField(required=False, max_length=200, label="Why", help_text="e.g. site shutdown, Saturday pour.")
