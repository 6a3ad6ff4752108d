from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from reporting.compose import compose
from reporting.docx import render_docx
from reporting.models import Report
from reporting.pdf import render_pdf


class Command(BaseCommand):
    help = "Write a report to a file (a published report exactly as published), for scheduled board packs."

    def add_arguments(self, parser):
        parser.add_argument("report_id", type=int)
        parser.add_argument("--format", choices=["html", "pdf", "docx"], default="pdf")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, report_id, format, output, **options):
        report = Report.objects.select_related("board", "programme").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"There is no report {report_id}.")
        document = report.snapshot if report.is_frozen else compose(report)
        if format == "pdf":
            Path(output).write_bytes(render_pdf(document))
        elif format == "docx":
            Path(output).write_bytes(render_docx(document))
        else:
            Path(output).write_text(render_to_string("reporting/print.html", {"document": document}), encoding="utf-8")
        state = "as published" if report.is_frozen else "draft, from the live data"
        self.stdout.write(self.style.SUCCESS(f"Wrote {report} ({state}) to {output}."))
