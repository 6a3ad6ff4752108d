"""Slides for change boards that meet over slides: the highlight report and the executive summary as PowerPoint,
a slide per section, pictures as images with their descriptions, status colours in tables, the marking (and
DRAFT) on every slide, stored with the paper's other outputs when it is published."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from pptx import Presentation

from reporting import services
from reporting.models import Report
from tests.builders import draft_paper

pytestmark = pytest.mark.django_db


def slide_texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.fixture
def june_paper(pmo):
    call_command("load_demo")
    return Report.objects.get(board__name="Audit Committee", meeting_date=date(2022, 6, 1), status="published")


def test_the_published_papers_slides_are_stored_and_carry_every_section_and_picture(client, june_paper, viewer):
    client.force_login(viewer)
    response = client.get(reverse("reporting:report_pptx", args=[june_paper.pk]))
    assert response["Content-Type"].endswith("presentationml.presentation")
    assert response.content == bytes(services.artefact(june_paper, "pptx").content)
    deck = Presentation(io.BytesIO(response.content))
    assert round(deck.slide_width / deck.slide_height, 2) == 1.78  # 16:9
    slides = list(deck.slides)
    assert all("OFFICIAL" in slide_texts(s) for s in slides)
    titles = [slide_texts(s) for s in slides]
    for number, heading in enumerate(
        ["Purpose", "Recommendations", "Background", "Programme Status", "Workstream Updates", "Implications"], 1
    ):
        assert any(f"{number} {heading}" in t for t in titles), heading
    pictures = [shape for s in slides for shape in s.shapes if shape.shape_type == 13]
    assert len(pictures) >= 2 and all(p._element.nvPicPr.cNvPr.get("descr") for p in pictures)
    tables = [shape.table for s in slides for shape in s.shapes if shape.has_table]
    red = [c for t in tables for row in t.rows for c in row.cells if c.text == "Red"]
    assert red and str(red[0].fill.fore_color.rgb) == "D4351C"
    assert "version 1" in slide_texts(slides[0])
    assert deck.core_properties.title == june_paper.title


def test_every_slide_of_a_drafts_executive_summary_says_draft(client, pmo, portfolio):
    report = draft_paper(portfolio["programme"], pmo)
    client.force_login(pmo)
    deck = Presentation(io.BytesIO(client.get(reverse("reporting:report_pptx", args=[report.pk])).content))
    assert len(deck.slides) >= 3
    assert all("DRAFT – not published" in slide_texts(s) for s in deck.slides)


def test_a_long_table_carries_on_over_slides_with_its_header(pmo):
    from reporting import slides

    block = {
        "type": "table",
        "caption": "Projects",
        "columns": ["Project", "Status"],
        "rows": [[{"text": f"Project {n}"}, {"text": "Green"}] for n in range(25)],
    }
    document = {
        "marking": "OFFICIAL",
        "header": {"title": "T", "board": "B", "meeting": "June 2022", "status": "For Information"},
        "sections": [{"heading": "Projects", "number": "1", "blocks": [block]}],
    }
    deck = Presentation(io.BytesIO(slides.render_pptx(document)))
    section_slides = list(deck.slides)[1:]
    assert len(section_slides) == 3 and "(continued)" in slide_texts(section_slides[1])
    for slide in section_slides:
        [table] = [shape.table for shape in slide.shapes if shape.has_table]
        assert table.cell(0, 0).text == "Project"
    shown = [shape.table.cell(r, 0).text for s in section_slides for shape in s.shapes if shape.has_table
             for r in range(1, len(shape.table.rows))]  # fmt: skip
    assert shown == [f"Project {n}" for n in range(25)]
