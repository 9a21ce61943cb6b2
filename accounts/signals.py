"""A new password or a deactivated account signs every device out, as it does every browser session (whose
auth hash no longer matches): whichever path saved the user (password change or reset, admin, shell)."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts import services
from accounts.models import ApiToken, User

WATCHED = {"password", "is_active"}
REHASH = frozenset({"password"})  # check_password upgrading a hash on sign-in saves only this: the same password


@receiver(pre_save, sender=User)
def note_lockout(sender, instance: User, update_fields=None, raw=False, **kwargs):
    instance._tokens_revoke_reason = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and (not WATCHED & set(update_fields) or frozenset(update_fields) == REHASH):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password:
        instance._tokens_revoke_reason = "password changed"
    elif before["is_active"] and not instance.is_active:
        instance._tokens_revoke_reason = "deactivated"


@receiver(post_save, sender=User)
def revoke_tokens_on_lockout(sender, instance: User, **kwargs):
    reason = getattr(instance, "_tokens_revoke_reason", None)
    if reason:
        services.revoke_tokens(actor=instance, tokens=ApiToken.objects.filter(user=instance), reason=reason)
