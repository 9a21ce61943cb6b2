from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailBackend(ModelBackend):
    """Email sign-in (case-insensitive); loads the user with their organisation in one query."""

    def get_user(self, user_id):
        user = User.objects.select_related("org").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
