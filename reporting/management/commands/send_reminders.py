"""Send today's digests: run once a day from cron (or let the task worker run `send_reminders_task`)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting.reminders import send_digests


class Command(BaseCommand):
    help = (
        "Email each person their daily digest: status updates, risk reviews and actions due or overdue, papers "
        "published to their boards, escalations decided. Once a day per person; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Build the digests as on this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args, date: str | None = None, dry_run: bool = False, **options):
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError as error:
                raise CommandError(f"--date must be a day as YYYY-MM-DD, not {date!r}.") from error
        counts = send_digests(today=today, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"Digests {verb}: {counts['sent']}. Nothing to say: {counts['nothing']}. Already sent today: "
            f"{counts['already']}. Turned off: {counts['off']}. No email address: {counts['no_address']}."
        )


def _parse(value: str):
    return date.fromisoformat(value)
