from django import forms

from baselines.services import NAME_MAX


class CaptureForm(forms.Form):
    name = forms.CharField(label="Baseline name", max_length=NAME_MAX, error_messages={
        "required": "Give the baseline a name, e.g. “Approved plan”."})  # fmt: skip
    reference = forms.BooleanField(label="Make it the reference baseline", required=False)


class RenameForm(forms.Form):
    name = forms.CharField(label="New name", max_length=NAME_MAX, error_messages={
        "required": "Give the baseline a name."})  # fmt: skip


class VarianceFilterForm(forms.Form):
    SHOW = [("all", "Every item"), ("changed", "Changed, added or removed"), ("slipped", "Finishing later")]
    show = forms.ChoiceField(choices=SHOW, required=False)
