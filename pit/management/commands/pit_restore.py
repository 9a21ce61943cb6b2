from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pit import backup


class Command(BaseCommand):
    help = "Restore a pit_backup directory into an empty database and empty buckets, then verify every table."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a backup directory (the one holding manifest.json)")

    def handle(self, *args, source, **options):
        try:
            outcome = backup.restore(source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {outcome.tables} tables and {outcome.objects} objects from {source} in {outcome.seconds:.1f} s; "
            f"every table's row count and digest match the backup."
        )
