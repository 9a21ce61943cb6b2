from django import forms

from projects.models import Project


class ImportForm(forms.Form):
    """Where the plan goes: a new project (named here) or one of the organisation's projects."""

    file = forms.FileField(label="Plan file", help_text="MS Project XML (.xml), Excel (.xlsx) or CSV, in the template.")
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), required=False, label="Import into",
        empty_label="A new project", help_text="New milestones are added after the project's own.",
    )  # fmt: skip
    project_name = forms.CharField(
        required=False, label="New project's name", help_text="Empty: the plan's title from the file.",
    )  # fmt: skip

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.for_org(org).order_by("name")
        self.fields["file"].widget.attrs["accept"] = ".xml,.xlsx,.csv"
