"""Forms of the workspace. Model clean() carries the hierarchy rules (dates inside the parent, same organisation);
these forms limit choices to the organisation and give every field a clear label."""

from django import forms

from accounts.models import Division, User
from pit.enums import ProjectType, QuickClass, TaskStatus
from projects.models import Deliverable, Milestone, Project, ProjectStatus, Task
from projects.selectors import SORTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_of(org):
    return User.objects.filter(org=org, is_active=True, is_system=False).order_by("name")


class OrgForm(forms.ModelForm):
    """A ModelForm whose people (and divisions) are those of one organisation."""

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("owner", "assignees"):
            if name in self.fields:
                self.fields[name].queryset = people_of(org)
        if "division" in self.fields:
            self.fields["division"].queryset = Division.objects.filter(org=org)


class ProjectForm(OrgForm):
    class Meta:
        model = Project
        fields = ["name", "type", "description", "owner", "division", "start_date", "end_date", "quick_class"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(OrgForm):
    class Meta:
        model = Milestone
        fields = ["name", "description", "owner", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class DeliverableForm(MilestoneForm):
    class Meta(MilestoneForm.Meta):
        model = Deliverable


class TaskForm(OrgForm):
    assignees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, help_text="Others who work on it (they see it in My work)."
    )

    class Meta:
        model = Task
        fields = ["name", "description", "owner", "assignees", "start_date", "end_date", "capex_cost", "opex_cost",
                  "quick_class", "requires_evidence"]  # fmt: skip
        labels = {"capex_cost": "CAPEX ($)", "opex_cost": "OPEX ($)", "requires_evidence": "Requires evidence"}
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def clean_assignees(self):
        return sorted(user.pk for user in self.cleaned_data["assignees"])


STATUS_CHOICES = [
    ("open", "Open (follows the dates)"),
    (TaskStatus.COMPLETED, "Completed"),
    (TaskStatus.BLOCKED, "Blocked"),
]


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=STATUS_CHOICES)
    blocked_reason = forms.CharField(required=False, max_length=500, label="Reason (when blocked)")


class TaskProgressForm(forms.Form):
    progress_percent = forms.IntegerField(min_value=0, max_value=100, label="Progress %")


class ClusterForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label="Template")
    start_date = forms.DateField(widget=DATE, label="Start date")
    owner = forms.ModelChoiceField(queryset=None, required=False, help_text="Empty: the deliverable's owner.")

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = org.cluster_templates.order_by("name")
        self.fields["owner"].queryset = people_of(org)


def _choices(label, choices):
    return [("", label), *choices]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=100)
    type = forms.ChoiceField(required=False, choices=_choices("Any type", ProjectType.choices))
    status = forms.ChoiceField(required=False, choices=_choices("Any status", ProjectStatus.choices))
    owner = forms.ModelChoiceField(required=False, queryset=None, empty_label="Any owner")
    division = forms.ModelChoiceField(required=False, queryset=None, empty_label="Any division")
    quick_class = forms.ChoiceField(required=False, choices=_choices("Any class", QuickClass.choices))
    starts_after = forms.DateField(required=False, widget=DATE, label="From")
    ends_before = forms.DateField(required=False, widget=DATE, label="To")
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for name in SORTS for key in (name, f"-{name}")], widget=forms.HiddenInput
    )

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(org)
        self.fields["division"].queryset = Division.objects.filter(org=org)

    def clean(self):
        data = super().clean()
        if data.get("starts_after") and data.get("ends_before") and data["ends_before"] < data["starts_after"]:
            self.add_error("ends_before", "“To” must be on or after “From”.")
        return data


class DependencyForm(forms.Form):
    predecessor = forms.ModelChoiceField(queryset=None, label="Depends on", help_text="A task of the same milestone.")
    lag_days = forms.IntegerField(
        initial=0, min_value=-365, max_value=365, label="Lag (working days)",
        help_text="Working days between its end and this task's start; negative to overlap.",
    )  # fmt: skip

    def __init__(self, *args, task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["predecessor"].queryset = (
            Task.objects.filter(milestone_id=task.milestone_id).exclude(pk=task.pk).order_by("start_date", "name")
        )
