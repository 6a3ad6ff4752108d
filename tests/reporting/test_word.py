"""The Word document: real heading styles, Word's own numbering, shaded status cells, marking and page numbers."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from reporting import services
from reporting.models import Board, Report
from tests.querycounts import assert_pinned
from workstreams.models import StatusLevel, Workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(pmo):
    """The June 2022 Audit Committee paper, as the demo's programme office published it."""
    call_command("load_demo")
    return Report.objects.get(
        board__name="Audit Committee", programme__code="T2025", meeting_date=date(2022, 6, 1), status="published"
    )


def word(client, report):
    response = client.get(reverse("reporting:report_docx", args=[report.pk]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.content))


def numbering_level(paragraph):
    ilvl = paragraph._p.find(f".//{qn('w:numPr')}/{qn('w:ilvl')}")
    return None if ilvl is None else int(ilvl.get(qn("w:val")))


def test_the_word_file_has_heading_styles_word_numbering_and_shaded_status_cells(client, published, viewer):
    client.force_login(viewer)
    doc = word(client, published)
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == [
        "Purpose",
        "Recommendations",
        "Background",
        "Programme Status",
        "Workstream Updates",
        "Implications",
        "Conclusions",
    ]
    assert all(numbering_level(p) == 0 for p in headings)  # Word numbers them 1 … 7
    purpose = next(p for p in doc.paragraphs if p.text.startswith("The purpose of the report"))
    assert numbering_level(purpose) == 1  # Word numbers it 1.1
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"][:2] == [
        "Force Control Room",
        "Integrated Offender Management",
    ]
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    shaded = [
        (cell.text, cell._tc.find(f".//{qn('w:shd')}").get(qn("w:fill")))
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        if cell._tc.find(f".//{qn('w:shd')}") is not None
    ]
    assert ("Red", red.colour.lstrip("#").upper()) in shaded
    header = doc.sections[0].header.paragraphs[0].text
    footer_xml = doc.sections[0].footer._element.xml
    assert header == "OFFICIAL"
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml


def test_the_published_word_file_does_not_change_when_the_data_does(client, published, viewer):
    client.force_login(viewer)
    before = [p.text for p in word(client, published).paragraphs]
    fcr = Workstream.objects.get(name="Force Control Room")
    fcr.name = "Renamed after publishing"
    fcr.save()
    assert [p.text for p in word(client, published).paragraphs] == before


def test_export_report_writes_word(published, tmp_path):
    path = tmp_path / "pack.docx"
    call_command("export_report", published.pk, "--format", "docx", "--output", str(path))
    assert "Workstream Updates" in [p.text for p in Document(str(path)).paragraphs]


def test_the_word_file_makes_the_same_queries_whatever_the_portfolio_size(client, pmo):
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
            assert client.get(reverse("reporting:report_docx", args=[report.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("reporting:report_docx", counts)
