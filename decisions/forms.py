"""Forms of the decisions pages: choices limited to the organisation, every field labelled, clear messages."""

from django import forms

from accounts.models import Team, User
from decisions.enums import DecisionPriority, DecisionStatus, DecisionType, HypothesisStatus, OutcomeStatus
from decisions.models import Hypothesis, Outcome, Stakeholder
from decisions.selectors import SORTS
from projects.models import Project, Task

OPTION_SLOTS = 4  # option rows on the form; ids o1..o4 follow the row, so editing keeps each option's comments
TEXT = forms.Textarea(attrs={"rows": 3})
LINES = forms.Textarea(attrs={"rows": 2, "placeholder": "One per line"})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_of(org):
    return User.objects.filter(org=org, is_active=True, is_system=False).only("id", "name", "email").order_by("name")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DecisionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Title contains")
    status = forms.ChoiceField(choices=[("", "Any status"), *DecisionStatus.choices], required=False)
    priority = forms.ChoiceField(choices=[("", "Any priority"), *DecisionPriority.choices], required=False)
    decision_type = forms.ChoiceField(choices=[("", "Any type"), *DecisionType.choices], required=False, label="Type")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Anyone")
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, empty_label="Any project")
    overdue = forms.BooleanField(required=False, label="Overdue only")
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False, widget=forms.HiddenInput)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(org)
        self.fields["project"].queryset = Project.objects.for_org(org).only("id", "name").order_by("name")


class DecisionForm(forms.Form):
    title = forms.CharField(max_length=500)
    description = forms.CharField(required=False, widget=TEXT)
    context = forms.CharField(required=False, widget=TEXT, help_text="What led to it; what depends on it.")
    priority = forms.ChoiceField(choices=DecisionPriority.choices, initial=DecisionPriority.NORMAL)
    decision_type = forms.ChoiceField(choices=[("", "—"), *DecisionType.choices], required=False, label="Type")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), help_text="Accountable for getting it decided.")
    assigned_to = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Assignee",
                                         help_text="Who is to decide; escalation starts with them.")  # fmt: skip
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                  help_text="Its manager is the first step of escalation.")  # fmt: skip
    stakeholder = forms.ModelChoiceField(queryset=Stakeholder.objects.none(), required=False)
    sla_hours = forms.IntegerField(min_value=1, max_value=24 * 365, required=False, label="SLA (hours)",
                                   help_text="Empty: the organisation's default for the priority.")  # fmt: skip
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False)
    task = forms.IntegerField(required=False, label="About task (number)", min_value=1)
    blocked_tasks = forms.CharField(
        required=False,
        label="Blocks tasks (numbers)",
        help_text="Task numbers, comma-separated: they cannot be completed until decided.",
    )
    outcome = forms.ModelChoiceField(queryset=Outcome.objects.none(), required=False)
    hypothesis = forms.ModelChoiceField(queryset=Hypothesis.objects.none(), required=False)  # fmt: skip

    def __init__(self, *args, org, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        for name in ("owner", "assigned_to"):
            self.fields[name].queryset = people_of(org)
        self.fields["team"].queryset = Team.objects.for_org(org)
        self.fields["stakeholder"].queryset = Stakeholder.objects.for_org(org).filter(is_active=True)
        self.fields["project"].queryset = Project.objects.for_org(org).only("id", "name").order_by("name")
        self.fields["outcome"].queryset = Outcome.objects.for_org(org)
        self.fields["hypothesis"].queryset = Hypothesis.objects.for_org(org)
        if editing:
            del self.fields["assigned_to"]  # reassigning is its own action (DECISION_ASSIGNED)
        for n in range(1, OPTION_SLOTS + 1):
            self.fields[f"option_{n}_title"] = forms.CharField(required=False, max_length=300, label=f"Option {n}")
            self.fields[f"option_{n}_pros"] = forms.CharField(required=False, widget=LINES, label=f"Option {n}: pros")
            self.fields[f"option_{n}_cons"] = forms.CharField(required=False, widget=LINES, label=f"Option {n}: cons")

    def main_fields(self):
        return [field for field in self if not field.name.startswith("option_")]

    def option_rows(self):
        return [[self[f"option_{n}_{part}"] for part in ("title", "pros", "cons")] for n in range(1, OPTION_SLOTS + 1)]

    @staticmethod
    def initial_for(decision) -> dict:
        initial = {
            name: getattr(decision, name)
            for name in (
                "title",
                "description",
                "context",
                "priority",
                "decision_type",
                "owner",
                "team",
                "stakeholder",
                "sla_hours",
                "project",
                "outcome",
                "hypothesis",
            )
        }
        initial["task"] = decision.task_id
        initial["blocked_tasks"] = ", ".join(str(pk) for pk in decision.blocked_links.values_list("task_id", flat=True))
        for option in decision.options:
            n = option["id"].removeprefix("o")
            initial |= {f"option_{n}_title": option["title"], f"option_{n}_pros": "\n".join(option.get("pros", [])),
                        f"option_{n}_cons": "\n".join(option.get("cons", []))}  # fmt: skip
        return initial

    def _tasks(self, numbers: list[int]) -> list[Task]:
        tasks = list(Task.objects.for_org(self.org).filter(pk__in=numbers).select_related("project"))
        missing = sorted(set(numbers) - {task.pk for task in tasks})
        if missing:
            raise forms.ValidationError(f"No task numbered {', '.join(map(str, missing))} in this organisation.")
        return tasks

    def clean_task(self):
        number = self.cleaned_data["task"]
        return self._tasks([number])[0] if number else None

    def clean_blocked_tasks(self):
        text = self.cleaned_data["blocked_tasks"].replace(",", " ").split()
        if not all(part.isdigit() for part in text):
            raise forms.ValidationError("Enter task numbers separated by commas, e.g. 12, 40.")
        return self._tasks(sorted({int(part) for part in text}))

    def clean(self):
        data = super().clean()
        options = []
        for n in range(1, OPTION_SLOTS + 1):
            title = data.pop(f"option_{n}_title", "").strip()
            pros, cons = _lines(data.pop(f"option_{n}_pros", "")), _lines(data.pop(f"option_{n}_cons", ""))
            if title:
                options.append({"id": f"o{n}", "title": title, "pros": pros, "cons": cons})
            elif pros or cons:
                self.add_error(f"option_{n}_title", "Give this option a title (or clear its pros and cons).")
        data["options"] = options
        data["decision_type"] = data.get("decision_type") or None
        return data


class DecideForm(forms.Form):
    option_id = forms.ChoiceField(widget=forms.RadioSelect, label="Decision")
    rationale = forms.CharField(widget=TEXT, label="Rationale", help_text="Why this option: the record people read.")

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option_id"].choices = [(o["id"], o["title"]) for o in decision.options]
        self.fields["option_id"].error_messages["required"] = "Choose the option you decided on."
        self.fields["rationale"].error_messages["required"] = "Say why: a decision needs its rationale."


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class StatusForm(ReasonForm):
    status = forms.ChoiceField(choices=DecisionStatus.choices)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people_of(org)


class CommentForm(forms.Form):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment",
                              help_text="Mention someone with @ and the start of their email, e.g. @sam.")  # fmt: skip
    option_id = forms.ChoiceField(required=False, label="About option")
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option_id"].choices = [("", "The decision as a whole")] + [
            (o["id"], o["title"]) for o in decision.options
        ]
        self.fields["content"].error_messages["required"] = "Write something to comment."


class CommentEditForm(forms.Form):
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment")


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["title", "description", "success_criteria", "priority", "team", "owner", "target_date"]
        widgets = {"description": TEXT, "success_criteria": TEXT, "target_date": DATE}

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(org)
        self.fields["team"].queryset = Team.objects.for_org(org)


class HypothesisForm(forms.ModelForm):
    class Meta:
        model = Hypothesis
        fields = ["title", "belief", "expected_result", "measurement_criteria", "priority", "owner"]
        widgets = {"belief": TEXT, "expected_result": TEXT, "measurement_criteria": TEXT}

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(org)


class OutcomeStatusForm(forms.Form):
    status = forms.ChoiceField(choices=OutcomeStatus.choices)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HypothesisStatusForm(OutcomeStatusForm):
    status = forms.ChoiceField(choices=HypothesisStatus.choices)


class StakeholderForm(forms.ModelForm):
    expertise = forms.CharField(required=False, help_text="Comma-separated, e.g. hydraulics, procurement.")

    class Meta:
        model = Stakeholder
        fields = ["name", "email", "type", "user", "title", "organization", "phone", "expertise",
                  "preferred_contact_method", "availability_notes", "timezone", "is_active", "notes"]  # fmt: skip
        widgets = {"availability_notes": TEXT, "notes": TEXT}

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of(org)
        self.fields["user"].label = "PIT user (internal)"
        if self.instance.pk:
            self.initial["expertise"] = ", ".join(self.instance.expertise)

    def clean_expertise(self):
        return [part.strip() for part in self.cleaned_data["expertise"].split(",") if part.strip()]


class IsmsLinkForm(forms.Form):
    criteria_code = forms.CharField(max_length=100, label="ISMS criterion", help_text="e.g. A.5.23")
    criteria_version = forms.CharField(max_length=100, label="Version", help_text="e.g. ISO 27001:2022")


class RiskLinkForm(forms.Form):
    risk_id = forms.CharField(max_length=100, label="Risk id", help_text="The treatment plan's risk id, e.g. R-104.")


class CreditsForm(forms.Form):
    start = forms.DateField(widget=DATE, label="From")
    end = forms.DateField(widget=DATE, label="To")
    by = forms.ChoiceField(choices=[("person", "Per person"), ("team", "Per team")], initial="person", label="Group")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data
