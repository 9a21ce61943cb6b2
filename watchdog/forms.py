"""Forms of the alerts pages: filters, acknowledge, snooze, and the organisation's thresholds."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from accounts.models import User
from watchdog.rules import registry
from watchdog.selectors import TABS, rule_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SEVERITIES = [("", "Any"), ("red", "Red"), ("yellow", "Yellow")]


class QuickSelect(forms.Select):
    """A select written in Python: an organisation has thousands of people, and Django's template per option costs
    more than the rest of the alerts page."""

    def render(self, name, value, attrs=None, renderer=None):
        current = "" if value is None else str(value)
        options = "".join(self._option(str(key), str(label), current) for key, label in self.choices)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')

    @staticmethod
    def _option(key: str, label: str, current: str) -> str:
        selected = " selected" if key == current else ""
        return f'<option value="{escape(key)}"{selected}>{escape(label)}</option>'


class AlertFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=list(TABS.items()), required=False, widget=forms.HiddenInput)
    project = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    rule = forms.ChoiceField(required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Anyone",
                                   widget=QuickSelect)  # fmt: skip
    severity = forms.ChoiceField(choices=SEVERITIES, required=False)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "Any rule"), *rule_choices()]
        self.fields["owner"].queryset = User.objects.filter(org=org, is_system=False).order_by("name")


class AcknowledgeForm(forms.Form):
    note = forms.CharField(max_length=2000, widget=forms.TextInput(attrs={"placeholder": "What is being done"}))


class SnoozeForm(forms.Form):
    until = forms.DateField(widget=DATE)
    note = forms.CharField(max_length=2000, required=False)


def field_name(code: str, name: str) -> str:
    return f"{code}__{name}"


class SettingsForm(forms.Form):
    """One number field per threshold of every registered rule, and the yellow notification delay."""

    notify_yellow_after_days = forms.IntegerField(
        min_value=0, max_value=365, label="Notify owners of a yellow alert open for (days)"
    )

    def __init__(self, *args, settings_row, **kwargs):
        super().__init__(*args, **kwargs)
        own = settings_row.thresholds if settings_row else {}
        self.initial["notify_yellow_after_days"] = settings_row.notify_yellow_after_days if settings_row else 3
        self.groups = []
        for code, rule in registry().items():
            names = []
            for name, threshold in rule.thresholds.items():
                key = field_name(code, name)
                self.fields[key] = forms.IntegerField(
                    label=threshold.label, min_value=threshold.minimum, max_value=threshold.maximum,
                    help_text=f"Default {threshold.default}.",
                )  # fmt: skip
                self.initial[key] = own.get(code, {}).get(name, threshold.default)
                names.append(key)
            self.groups.append((rule, [self[key] for key in names]))

    def thresholds(self) -> dict:
        values = {}
        for code, rule in registry().items():
            for name in rule.thresholds:
                values.setdefault(code, {})[name] = self.cleaned_data[field_name(code, name)]
        return values
