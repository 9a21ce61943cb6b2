"""Who wants what, where: a person's choice, else the organisation's default, else the built-in default.

Resolved for a whole list of recipients in three queries (preferences, channel settings, live devices), so a
fan-out to thousands of people costs the same few round trips as one.
"""

from dataclasses import dataclass

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


def _choices(org, user_ids, events) -> dict:
    rows = Preference.objects.filter(org=org, event__in=events).filter(user__isnull=True) | Preference.objects.filter(
        org=org, event__in=events, user_id__in=user_ids
    )
    return {(row.user_id, row.event, row.channel): row.enabled for row in rows}


def _digests(org, user_ids) -> dict:
    rows = ChannelSetting.objects.filter(org=org, user__isnull=True) | ChannelSetting.objects.filter(
        org=org, user_id__in=user_ids
    )
    return {(row.user_id, row.channel): row.digest for row in rows}


def resolve(org, users, event: str) -> dict[int, list[Wanted]]:
    """Each user's wanted channels for `event` (users of `org`)."""
    ids = [user.pk for user in users]
    choices = _choices(org, ids, [event])
    digests = _digests(org, ids)
    offered = channels_offered()
    with_device = (
        set(Device.objects.filter(user_id__in=ids, retired_at__isnull=True).values_list("user_id", flat=True))
        if PUSH in offered
        else set()
    )
    wanted = {}
    for pk in ids:
        channels = []
        for channel in offered:
            if channel == PUSH and pk not in with_device:
                continue
            default = choices.get((None, event, channel), BUILT_IN[channel])
            if choices.get((pk, event, channel), default):
                digest = digests.get((pk, channel), digests.get((None, channel), False))
                channels.append(Wanted(channel, digest and channel in DIGEST_CHANNELS))
        wanted[pk] = channels
    return wanted


def table(org, user=None) -> dict:
    """What the settings page shows for a person (or, `user` None, the organisation's defaults): per event and
    channel on/off, and per channel the digest and quiet hours."""
    events = list(EVENTS)
    choices = _choices(org, [user.pk] if user else [], events)
    owner = user.pk if user else None
    settings = {
        (row.user_id, row.channel): row
        for row in ChannelSetting.objects.filter(org=org, user__isnull=True)
        | ChannelSetting.objects.filter(org=org, user_id=owner)
    }
    cells = {}
    for code in events:
        for channel in CHANNELS:
            default = choices.get((None, code, channel), BUILT_IN[channel])
            cells[(code, channel)] = choices.get((owner, code, channel), default)
    channel_rows = {channel: settings.get((owner, channel)) or settings.get((None, channel)) for channel in CHANNELS}
    return {"cells": cells, "channels": channel_rows}
