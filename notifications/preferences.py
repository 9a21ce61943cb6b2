"""Who wants what, where: a person's choice, else the organisation's default, else the built-in default.

Resolved for a whole list of recipients in three queries (preferences, channel settings, live devices), so a
fan-out to thousands of people costs the same few round trips as one.
"""

from dataclasses import dataclass

from django.db.models import Q

from notifications import push
from notifications.events import EVENTS
from notifications.models import ChannelSetting, Device, Preference
from pit.enums import NotificationType

INBOX, EMAIL, PUSH = NotificationType.INTERNAL_MESSAGE, NotificationType.EMAIL, NotificationType.PUSH
CHANNELS = [INBOX, EMAIL, PUSH]
DIGEST_CHANNELS = [EMAIL, PUSH]

# Everything reaches the inbox and email by default, and push where the person has a device.
BUILT_IN = {INBOX: True, EMAIL: True, PUSH: True}


@dataclass(frozen=True)
class Wanted:
    channel: str
    digest: bool = False


def channels_offered() -> list[str]:
    """Push is offered only when a push provider is configured."""
    return CHANNELS if push.providers() else [INBOX, EMAIL]


def _one_person(rows, user):
    """The organisation's defaults and, if `user` is given, that person's own rows."""
    return rows.filter(Q(user__isnull=True) | Q(user=user)) if user else rows.filter(user__isnull=True)


def _choices(rows) -> dict:
    return {(row.user_id, row.event, row.channel): row.enabled for row in rows}


def _channel_settings(rows) -> dict:
    return {(row.user_id, row.channel): row for row in rows}


def resolve(org, users, event: str) -> dict[int, list[Wanted]]:
    """Each user's wanted channels for `event` (users of `org`)."""
    # Everyone's rows of the organisation: filtering by organisation, not by a list of thousands of people, keeps
    # a big fan-out a few cheap queries.
    ids = [user.pk for user in users]
    choices = _choices(Preference.objects.filter(org=org, event=event))
    settings = _channel_settings(ChannelSetting.objects.filter(org=org))
    offered = channels_offered()
    live = Device.objects.filter(user__org=org, retired_at__isnull=True)
    with_device = set(live.values_list("user_id", flat=True)) if PUSH in offered else set()
    wanted = {}
    for pk in ids:
        channels = []
        for channel in offered:
            if channel == PUSH and pk not in with_device:
                continue
            default = choices.get((None, event, channel), BUILT_IN[channel])
            if choices.get((pk, event, channel), default):
                setting = settings.get((pk, channel)) or settings.get((None, channel))
                channels.append(Wanted(channel, bool(setting and setting.digest) and channel in DIGEST_CHANNELS))
        wanted[pk] = channels
    return wanted


def table(org, user=None) -> dict:
    """What the settings page shows for a person (or, `user` None, the organisation's defaults): per event and
    channel on/off, and per channel its settings row (digest, quiet hours)."""
    owner = user.pk if user else None
    choices = _choices(_one_person(Preference.objects.filter(org=org), user))
    settings = _channel_settings(_one_person(ChannelSetting.objects.filter(org=org), user))
    cells = {}
    for code in EVENTS:
        for channel in CHANNELS:
            default = choices.get((None, code, channel), BUILT_IN[channel])
            cells[(code, channel)] = choices.get((owner, code, channel), default)
    channel_rows = {channel: settings.get((owner, channel)) or settings.get((None, channel)) for channel in CHANNELS}
    return {"cells": cells, "channels": channel_rows}
