from django.core.management.commands import migrate

from pit import rls


class Command(migrate.Command):
    """Django's migrate, connected as the tables' owner (DATABASE_OWNER_URL): the application's role owns nothing,
    so row-level security binds it (pit/rls.py). Policies and grants are brought up to date afterwards."""

    def handle(self, *args, **options):
        with rls.as_owner(options["database"]):
            return super().handle(*args, **options)
