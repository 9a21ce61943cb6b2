from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PitConfig(AppConfig):
    name = "pit"
    verbose_name = "PIT kernel"

    def ready(self):
        from pit import rls  # connects the connection_created hook that sets each connection's starting scope

        post_migrate.connect(rls.install_after_migrate, sender=self)
