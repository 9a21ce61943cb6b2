"""Threaded comments on a decision: replies (`parent`), arguments for an option (`option_id`), @mentions.

A mention is `@` followed by the part of a colleague's email address before the `@` (`@sam` for
sam@example.org); mentioned people of the organisation are told (`mentioned`).
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import User
from decisions.models import Decision, DecisionComment
from decisions.services.common import note
from notifications.services import notify
from pit import audit

MENTION = re.compile(r"(?<![\w.])@([A-Za-z0-9][\w.+-]*[A-Za-z0-9]|[A-Za-z0-9])")
MAX_LENGTH = 10_000


def mentioned_in(org, content: str) -> list[User]:
    handles = {handle.lower() for handle in MENTION.findall(content)}
    if not handles:
        return []
    match = Q()
    for handle in handles:
        match |= Q(email__istartswith=f"{handle}@")
    return list(User.objects.filter(match, org=org, is_active=True, is_system=False).order_by("pk"))


def _clean_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": "Write something to comment."})
    if len(content) > MAX_LENGTH:
        raise ValidationError({"content": f"A comment is at most {MAX_LENGTH:,} characters."})
    return content


@transaction.atomic
def add_comment(*, actor, decision: Decision, content: str, parent=None, option_id: str | None = None):
    content = _clean_content(content)
    if parent is not None and parent.decision_id != decision.pk:
        raise ValidationError({"parent": "Reply to a comment of this decision."})
    if parent is not None and not option_id:
        option_id = parent.option_id  # a reply stays with the option its thread argues
    if option_id and decision.option(option_id) is None:
        raise ValidationError({"option_id": "Choose one of this decision's options."})
    people = mentioned_in(decision.org_id, content)
    comment = DecisionComment(decision=decision, author=actor, parent=parent, content=content,
                              option_id=option_id or "", mentions=[user.pk for user in people])  # fmt: skip
    comment.full_clean()
    comment.save()
    note(actor, decision, "DECISION_COMMENTED", comment_id=comment.pk, option_id=comment.option_id,
         parent_id=parent.pk if parent else None, excerpt=content[:140])  # fmt: skip
    if people:
        notify("mentioned", people, comment, actor=actor, message=content[:280])
    return comment


@transaction.atomic
def edit_comment(*, actor, comment: DecisionComment, content: str) -> DecisionComment:
    """Only its author edits a comment; it is marked edited, and people newly mentioned are told."""
    locked = DecisionComment.objects.select_for_update().select_related("decision").get(pk=comment.pk)
    if locked.author_id != actor.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    content = _clean_content(content)
    before = audit.snapshot(locked)
    people = mentioned_in(locked.decision.org_id, content)
    new = [user for user in people if user.pk not in set(locked.mentions)]
    locked.content, locked.is_edited, locked.mentions = content, True, [user.pk for user in people]
    locked.save()
    audit.record(actor=actor, org=locked.decision.org_id, action="UPDATE", instance=locked, before=before,
                 after=audit.snapshot(locked))  # fmt: skip
    if new:
        notify("mentioned", new, locked, actor=actor, message=content[:280])
    return locked
