"""The PDF (WeasyPrint) and the command-line export, from the same document as the web page."""

import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.portfolio import FCR_AMBER
from reporting import services
from reporting.models import Board, Report
from tests.querycounts import assert_pinned
from workstreams.models import Workstream

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_tools")]


@pytest.fixture
def published(pmo):
    """The June 2022 Audit Committee paper, as the demo's programme office published it."""
    call_command("load_demo")
    return Report.objects.get(
        board__name="Audit Committee", programme__code="T2025", meeting_date=date(2022, 6, 1), status="published"
    )


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_is_a4_with_the_marking_and_page_x_of_y_on_every_page(client, published, viewer, tmp_path, settings):
    client.force_login(viewer)
    response = client.get(reverse("reporting:report_pdf", args=[published.pk]))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "paper.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text_pages = pdf_text(path).split("\f")[:pages]
    for number, page in enumerate(text_pages, start=1):
        assert f"Page {number} of {pages}" in page
        assert "OFFICIAL" in page
    text = " ".join(pdf_text(path).split())
    assert "1.1 The purpose of the report is to update members" in text
    assert " ".join(FCR_AMBER.split()[:12]) in text
    assert "Mark Webster" in text


def test_the_published_pdf_does_not_change_when_the_data_does(client, published, viewer, tmp_path):
    client.force_login(viewer)
    first = tmp_path / "first.pdf"
    first.write_bytes(client.get(reverse("reporting:report_pdf", args=[published.pk])).content)
    fcr = Workstream.objects.get(name="Force Control Room")
    fcr.name = "Renamed after publishing"
    fcr.save()
    second = tmp_path / "second.pdf"
    second.write_bytes(client.get(reverse("reporting:report_pdf", args=[published.pk])).content)
    assert pdf_text(first) == pdf_text(second)
    assert "Renamed after publishing" not in pdf_text(second)


def test_export_report_writes_the_same_report_from_the_command_line(published, tmp_path):
    pdf, html = tmp_path / "pack.pdf", tmp_path / "pack.html"
    call_command("export_report", published.pk, "--format", "pdf", "--output", str(pdf))
    call_command("export_report", published.pk, "--format", "html", "--output", str(html))
    assert "1.1 The purpose of the report" in " ".join(pdf_text(pdf).split())
    page = html.read_text(encoding="utf-8")
    assert "<h2>5 Workstream Updates</h2>" in page and "Force Control Room" in page


def test_export_report_names_a_missing_report(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="There is no report 999"):
        call_command("export_report", 999, "--output", str(tmp_path / "x.pdf"))


def test_the_pdf_makes_the_same_queries_whatever_the_portfolio_size(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import build_portfolio

    client.force_login(pmo)
    counts = []
    for size in (5, 200):
        programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=2)
        report = services.report_create_draft(
            board=Board.objects.get(name="Audit Committee"), programme=programme, meeting_date=date(2022, 3, 1), by=pmo
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reporting:report_pdf", args=[report.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("reporting:report_pdf", counts)
