from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting import outputs, services
from reporting.compose import compose
from reporting.models import Edition, Report


class Command(BaseCommand):
    help = (
        "Write a report to a file, for scheduled board packs: a published paper as the bytes stored when it was "
        "published (or marked superseded), a draft rendered now and marked DRAFT. Prints the file's SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--format", choices=list(outputs.FORMATS), default="pdf")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--as-issued", action="store_true", help="For a superseded paper: the output as it was issued."
        )

    def handle(self, report_id, format, output, as_issued, **options):
        report = Report.objects.select_related("board", "programme").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"There is no report {report_id}.")
        if report.is_frozen:
            stored = services.artefact(report, format, Edition.ISSUED if as_issued else None)
            content, state = bytes(stored.content), f"{stored.get_edition_display().lower()}, as stored"
        else:
            content = outputs.render(outputs.stamped(compose(report), outputs.draft_stamp(report)), format)
            state = "draft, from the live data"
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {report} ({state}) to {output}."))
        self.stdout.write(f"SHA-256 {outputs.sha256(content)}")
