from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pit import backup


class Command(BaseCommand):
    help = "Back up the database and the S3 objects into a new directory with a checksummed manifest."

    def add_arguments(self, parser):
        parser.add_argument("--target", type=Path, help="directory for backups (default BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="then keep only the newest N backups (default BACKUP_KEEP)")

    def handle(self, *args, target, keep, **options):
        root = target or Path(settings.BACKUP_DIR)
        keep = settings.BACKUP_KEEP if keep is None else keep
        if keep < 1:
            raise CommandError("--keep must be at least 1: a backup run never deletes every backup")
        try:
            outcome = backup.backup(root)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        pruned = backup.prune(root, keep)
        self.stdout.write(
            f"Backed up {outcome.tables} tables and {outcome.objects} objects ({outcome.bytes:,} bytes) "
            f"to {outcome.path} in {outcome.seconds:.1f} s; removed {len(pruned)} old backup(s)."
        )
