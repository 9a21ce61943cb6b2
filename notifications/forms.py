"""The preferences form: one checkbox per event kind and channel, a digest switch per channel, quiet hours."""

from django import forms

from notifications.events import EVENTS
from notifications.preferences import DIGEST_CHANNELS, EMAIL, INBOX, PUSH

CHANNEL_LABELS = {INBOX: "In PIT", EMAIL: "Email", PUSH: "Push"}
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def cell_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """Built from the current table (`preferences.table`) and the channels offered."""

    quiet_start = forms.TimeField(required=False, widget=TIME, label="Quiet hours from")
    quiet_end = forms.TimeField(required=False, widget=TIME, label="until")

    def __init__(self, *args, table: dict, channels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = channels
        for code, event in EVENTS.items():
            for channel in channels:
                self.fields[cell_name(code, channel)] = forms.BooleanField(
                    required=False,
                    initial=table["cells"][(code, channel)],
                    label=f"{event.label}: {CHANNEL_LABELS[channel]}",
                )
        for channel in DIGEST_CHANNELS:
            if channel in channels:
                setting = table["channels"][channel]
                self.fields[f"digest__{channel}"] = forms.BooleanField(
                    required=False,
                    initial=bool(setting and setting.digest),
                    label=f"{CHANNEL_LABELS[channel]}: one daily digest instead of one message each",
                )
        push = table["channels"][PUSH]
        if PUSH not in channels:
            del self.fields["quiet_start"], self.fields["quiet_end"]
        elif push:
            self.initial |= {"quiet_start": push.quiet_start, "quiet_end": push.quiet_end}

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give quiet hours both a start and an end, or leave both empty.")
        if start is not None and start == end:
            raise forms.ValidationError("Quiet hours must start and end at different times.")
        return data

    def rows(self):
        """The table the template draws: one row per event, one checkbox per channel."""
        return [
            {"label": event.label, "fields": [self[cell_name(code, channel)] for channel in self.channels]}
            for code, event in EVENTS.items()
        ]

    def channel_headers(self) -> list[str]:
        return [CHANNEL_LABELS[channel] for channel in self.channels]

    def digest_fields(self):
        return [self[name] for name in self.fields if name.startswith("digest__")]

    def cells(self) -> dict:
        data = self.cleaned_data
        return {(code, channel): data[cell_name(code, channel)] for code in EVENTS for channel in self.channels}

    def channel_settings(self) -> dict:
        data = self.cleaned_data
        settings = {channel: {"digest": data.get(f"digest__{channel}", False)} for channel in DIGEST_CHANNELS}
        if PUSH in self.channels:
            settings[PUSH] |= {"quiet_start": data.get("quiet_start"), "quiet_end": data.get("quiet_end")}
        return {channel: values for channel, values in settings.items() if channel in self.channels}
