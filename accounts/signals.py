"""Signals other domains listen to."""

from django.dispatch import Signal

# Sent with `user` and `reason` when a person's sessions are revoked (password changed or reset, deactivated):
# every other credential store (API tokens) drops that person's credentials in the same transaction.
credentials_revoked = Signal()
