"""What PIT tells people about: one entry per event kind.

A domain that needs to reach people adds its event here (a code, the label shown on the preferences page and the
title of the notification) and calls `notifications.services.notify(code, recipients, subject)`; nothing else
changes. Titles are `str.format` templates over `subject` (the object's display name) and the caller's `context`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    title: str


EVENTS: dict[str, Event] = {
    event.code: event
    for event in [
        Event("task_assigned", "A task is assigned to you", "Task assigned to you: {subject}"),
        Event("task_overdue", "A task of yours is overdue", "Overdue: {subject}"),
        Event("evidence_accepted", "Your evidence is accepted", "Evidence accepted: {subject}"),
        Event("evidence_rejected", "Your evidence is rejected", "Evidence rejected: {subject}"),
        Event(
            "evidence_needs_clarification",
            "A reviewer asks about your evidence",
            "Clarification needed: {subject}",
        ),
        Event("evidence_review_requested", "Evidence waits for your review", "Evidence to review: {subject}"),
        Event("alert_raised", "An alert is raised on your task or project", "Alert: {subject}"),
        Event("decision_assigned", "A decision is assigned to you", "Decision assigned to you: {subject}"),
        Event("decision_escalated", "A decision is escalated to you", "Decision escalated: {subject}"),
        Event("decision_decided", "A decision you follow is decided", "Decided: {subject}"),
        Event("mentioned", "Someone mentions you in a comment", "You were mentioned: {subject}"),
    ]
}


def event_of(code: str) -> Event:
    try:
        return EVENTS[code]
    except KeyError:
        raise ValueError(f"unknown notification event {code!r}; add it to notifications/events.py") from None
