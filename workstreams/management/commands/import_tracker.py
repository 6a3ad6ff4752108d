from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workstreams.importer import import_tracker, template_workbook


class Command(BaseCommand):
    help = (
        "Import an Excel tracker (programmes, workstreams, projects and dated status updates) made from the "
        "template. Nothing is saved unless the whole file is valid. --template FILE writes an empty template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx file to import (or to write, with --template).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, then save nothing.")
        parser.add_argument(
            "--user", default="", help="Who the history names (a user name; default: the first superuser)."
        )
        parser.add_argument("--template", action="store_true", help="Write an empty template to FILE instead.")

    def handle(self, *args, file, dry_run, user, template, **options):
        path = Path(file)
        if template:
            path.write_bytes(template_workbook())
            self.stdout.write(f"Wrote the import template to {path}.")
            return
        User = get_user_model()
        by = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        )
        if by is None:
            raise CommandError(f"No user {user!r}." if user else "Name the importing user with --user.")
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as handle:
            result = import_tracker(handle, size=path.stat().st_size, by=by, source=path.name, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problems; nothing was saved.")
        self.stdout.write(self.style.SUCCESS(str(result.summary)))
