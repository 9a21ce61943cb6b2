from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from projects.jobs import rebuild_rollups


class Command(BaseCommand):
    help = "Recompute progress, CAPEX/OPEX (with budget by financial year) and status of every live project."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="slug of one organisation (default: all)")

    def handle(self, *args, **options):
        org = None
        if options["org"]:
            org = Organisation.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"no organisation with slug {options['org']!r}")
        run = rebuild_rollups(org=org)
        self.stdout.write(
            self.style.SUCCESS(f"Roll-ups recomputed for {run.rows_changed} project(s) in {run.detail['seconds']} s")
        )
