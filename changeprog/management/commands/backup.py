from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from changeprog.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or SQLite's online backup) and the evidence files into one .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="", help="The archive to write (default: changeprog-backup-YYYY-MM-DD-HHMM.tar.gz)."
        )

    def handle(self, *args, output, **options):
        path = Path(output or f"changeprog-backup-{datetime.now():%Y-%m-%d-%H%M}.tar.gz")
        try:
            manifest = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{table} {n}" for table, n in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Backed up the {manifest['engine']} database to {path} ({counts})."))
