"""Helpers every decisions service uses."""

from django.utils import timezone

from pit import audit


def now_or(now):
    """Services take `now=` so tests and jobs can fix the clock; people's actions use the real one."""
    return now or timezone.now()


def save(actor, obj, *, action: str, before=None, after_extra=None):
    """Validate, save and audit one row."""
    obj.full_clean()
    obj.save()
    after = audit.snapshot(obj) | (after_extra or {})
    audit.record(actor=actor, org=obj.org_id, action=action, instance=obj, before=before, after=after)
    return obj


def note(actor, decision, action: str, **after):
    """An event in a decision's timeline: an audit row on the decision (comments, escalations, ...)."""
    audit.record(actor=actor, org=decision.org_id, action=action, instance=decision, after=after)
