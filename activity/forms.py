from django import forms

from accounts.models import User
from activity.feed import HIERARCHY, KINDS

KIND_CHOICES = [(key, label) for key, (label, _) in KINDS.items()]
OTHER_ITEMS = {"evidence": "Evidence", "decision": "Decision", "task_dependency": "Dependency", "user": "Person"}


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class FeedFilterForm(forms.Form):
    """The feed's filters, read from the query string; every field is optional."""

    person = PersonChoice(queryset=User.objects.none(), required=False, empty_label="Anyone")
    kind = forms.ChoiceField(required=False, label="Change", choices=[("", "Any change")] + KIND_CHOICES)
    item = forms.ChoiceField(required=False, label="Item")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, org, items: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(org=org).only("pk", "name").order_by("name")
        if items:
            self.fields["item"].choices = [("", "Any item"), *items.items()]
        else:
            del self.fields["item"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The range must start on or before the day it ends.")
        return data


PROJECT_ITEMS = {table: table.capitalize() for table in HIERARCHY}
ORG_ITEMS = PROJECT_ITEMS | OTHER_ITEMS
