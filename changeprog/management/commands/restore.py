from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from changeprog.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database (the configured one, or --database-url) and "
        "the evidence store. Then run `migrate` if the code is newer than the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database-url", default="", help="Restore into this database instead.")
        parser.add_argument("--evidence-root", default="", help="Restore the evidence files here instead.")

    def handle(self, *args, archive, database_url, evidence_root, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            manifest = restore(path, database_url=database_url or None, evidence_root=evidence_root or None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the backup made at {manifest['made_at']}."))
