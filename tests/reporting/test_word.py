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


def test_the_word_file_is_a4_in_the_house_style_with_its_properties(published):
    from docx.shared import Cm, Pt

    doc = Document(io.BytesIO(bytes(services.artefact(published, "docx").content)))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert {round(m.cm, 2) for m in (section.left_margin, section.right_margin, section.top_margin)} == {2.5}
    assert (doc.styles["Normal"].font.name, doc.styles["Normal"].font.size) == ("Arial", Pt(12))
    assert doc.styles["Heading 1"].font.color.rgb == (0, 0, 0) and doc.styles["Heading 1"].font.name == "Arial"
    properties = doc.core_properties
    assert properties.title == "Cleveland Police Change Programme"
    assert properties.author == published.programme.organisation and properties.author != "python-docx"
    assert properties.created.replace(tzinfo=None) == published.published_at.replace(tzinfo=None, microsecond=0)
    widest = Cm(16)
    assert all(shape.width <= widest for shape in doc.inline_shapes)
    for table in doc.tables:
        assert sum(column.width for column in table.columns) <= widest
        assert table.rows[0]._tr.find(f".//{qn('w:tblHeader')}") is not None  # the header repeats on each page


def test_bullets_sit_under_their_paragraphs_text_not_left_of_its_number(published):
    doc = Document(io.BytesIO(bytes(services.artefact(published, "docx").content)))
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets
    assert all(p.paragraph_format.left_indent.twips > 1134 for p in bullets)  # numbered text starts at 1134


def test_the_house_style_comes_from_the_settings(pmo, portfolio, settings):
    from docx.shared import Pt, RGBColor

    from reporting import outputs
    from reporting.compose import compose

    settings.REPORT_FONT, settings.REPORT_FONT_SIZE, settings.REPORT_HEADING_COLOUR = "Verdana", 11, "1D70B8"
    report = services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    content = outputs.render(outputs.stamped(compose(report), outputs.draft_stamp(report)), "docx")
    doc = Document(io.BytesIO(content))
    assert (doc.styles["Normal"].font.name, doc.styles["Normal"].font.size) == ("Verdana", Pt(11))
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x1D, 0x70, 0xB8)


def test_laid_out_by_a_word_processor_the_paper_is_a4_numbered_as_composed_with_no_near_empty_page(
    published, tmp_path, libreoffice
):
    """LibreOffice lays the Word file out as a secretary's word processor would: A4 pages, every numbered
    paragraph keeps its number, and no page but the last is nearly empty."""
    import re
    import subprocess

    path = tmp_path / "paper.docx"
    path.write_bytes(bytes(services.artefact(published, "docx").content))
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",  # its own profile: tests may run side by side
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "paper.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    numbers = {
        block["number"]
        for section in published.snapshot["sections"]
        for block in section["blocks"]
        if block.get("number")
    }
    laid_out = set(re.findall(r"^\s*(\d+\.\d+)\s", text, re.M))
    assert numbers <= laid_out, sorted(numbers - laid_out)
    words_per_page = [len(page.split()) for page in pages]
    assert all(count > 60 for count in words_per_page[:-1]), words_per_page
