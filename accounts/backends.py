from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from pit import rls


class EmailBackend(ModelBackend):
    """Email sign-in (case-insensitive); loads the user with their organisation in one query.

    Both look a person up before their organisation is known, so they read across organisations (pit/rls.py)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        with rls.all_organisations():
            return super().authenticate(request, username, password, **kwargs)

    def get_user(self, user_id):
        with rls.all_organisations():
            user = User.objects.select_related("org").filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
