from django import forms

from pit.enums import EvidenceType, ReviewDecision

DECISION_CHOICES = [
    (ReviewDecision.ACCEPTED, "Accept"),
    (ReviewDecision.REJECTED, "Reject"),
    (ReviewDecision.NEEDS_CLARIFICATION, "Ask for clarification"),
]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES, widget=forms.RadioSelect)
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text="Required unless you accept: the uploader reads it to know what to do next.",
    )  # fmt: skip


class ClarifyForm(forms.Form):
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label="Your answer")


class QueueFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", widget=forms.TextInput(attrs={"placeholder": "Task or file"}))
    project = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    file_type = forms.ChoiceField(required=False, choices=[("", "Any type"), *EvidenceType.choices], label="Type")
    score = forms.ChoiceField(
        required=False, label="AI pre-score",
        choices=[("", "Any"), ("likely", "Likely accept"), ("doubtful", "Doubtful"), ("unscored", "Not scored")],
    )  # fmt: skip
    mine = forms.ChoiceField(required=False, label="My uploads", choices=[("", "Show"), ("hide", "Hide")])

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "All projects"), *projects]
