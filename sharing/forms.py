from django import forms

from sharing.services import MAX_DAYS, MAX_VIEWS


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Shared with", max_length=200, help_text="Who the link is for, e.g. “Council engineer, J. Tran”."
    )
    expires_in_days = forms.IntegerField(label="Expires after (days)", min_value=1, max_value=MAX_DAYS, initial=14)
    view_limit = forms.IntegerField(
        label="View limit", min_value=1, max_value=MAX_VIEWS, required=False, help_text="Empty: no limit."
    )
    passcode = forms.CharField(
        label="Passcode",
        required=False,
        min_length=6,
        max_length=128,
        widget=forms.PasswordInput(render_value=False),
        help_text="Optional. Send it separately from the link (e.g. by phone).",
    )


class PasscodeForm(forms.Form):
    passcode = forms.CharField(label="Passcode", max_length=128, widget=forms.PasswordInput)
