from django.core.management.base import BaseCommand

from pit.commands import add_org_option, org_from_options
from projects.jobs import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute progress, CAPEX/OPEX (with budget by financial year) and status of every live project."

    def add_arguments(self, parser):
        add_org_option(parser)

    def handle(self, *args, **options):
        run = rebuild_rollups(org=org_from_options(options))
        self.stdout.write(
            self.style.SUCCESS(f"Roll-ups recomputed for {run.rows_changed} project(s) in {run.detail['seconds']} s")
        )
