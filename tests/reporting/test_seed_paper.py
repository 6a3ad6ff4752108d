"""The demo's June 2022 Audit Committee paper against the seed report it comes from: the same sections, the
same paragraph numbers, each paragraph opening with the seed's words, the two pictures, in every output."""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from reporting.models import Board, Report
from workstreams.models import StatusLevel

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent / "seed" / "cleveland-police-change-programme-audit-committee-2022-06.txt"


def normalise(text: str) -> str:
    text = re.sub(r"\[bookmark: [^\]]*\]", "", unicodedata.normalize("NFKC", text))
    return " ".join(text.replace("‘", "'").replace("’", "'").split())


def seed_outline() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(section number, heading, [(paragraph number, its opening line)]) as the seed report numbers them."""
    sections = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if heading := re.fullmatch(r"\s*(\d)\s+([A-Z][A-Za-z ]+?)\s*", line):
            sections.append((heading[1], heading[2], []))
        elif numbered := re.match(r"\s*(\d+\.\d+)\s+(.*)", line):
            sections[-1][2].append((numbered[1], normalise(numbered[2])))
    return sections


def outline(document: dict) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (
            section["number"],
            section["heading"],
            [
                (block["number"], normalise(block["subheading"] or block["text"]))
                for block in section["blocks"]
                if block["type"] == "paragraph"
            ],
        )
        for section in document["sections"]
    ]


@pytest.fixture
def june_paper():
    call_command("load_demo")
    return Report.objects.get(board__name="Audit Committee", meeting_date="2022-06-01")


def test_the_demo_june_paper_numbers_its_sections_and_paragraphs_exactly_as_the_seed_does(june_paper):
    seed, ours = seed_outline(), outline(june_paper.snapshot)
    assert [(number, heading) for number, heading, _ in ours] == [(n, h) for n, h, _ in seed]
    assert [[number for number, _ in paragraphs] for *_, paragraphs in ours] == [
        [number for number, _ in paragraphs] for *_, paragraphs in seed
    ]
    assert len([p for *_, paragraphs in seed for p in paragraphs]) == 39


def test_each_paragraph_of_the_demo_paper_opens_with_the_seeds_words(june_paper):
    for (_, _, seed_paragraphs), (_, heading, our_paragraphs) in zip(
        seed_outline(), outline(june_paper.snapshot), strict=True
    ):
        for (number, seed_text), (_, our_text) in zip(seed_paragraphs, our_paragraphs, strict=True):
            assert our_text.startswith(seed_text[:60]) or seed_text.startswith(our_text[:60]), (heading, number)


def test_the_june_paper_is_published_by_the_office_with_its_before_and_after_pictures(client, june_paper, viewer):
    assert (june_paper.status, june_paper.published_by.username) == ("published", "pmo")
    assert june_paper.comparison_date.isoformat() == "2022-04-14"
    client.force_login(viewer)
    page = client.get(june_paper.get_absolute_url()).content.decode()
    before = page.index("Programme progress April 2022")
    after = page.index("Revised programme")
    assert page.index("4.8") < before < page.index("4.9") < after < page.index("4.10")
    pictures = re.findall(r'<svg [^>]*role="img" aria-label="([^"]*)"', page)
    assert any("Vulnerability (Prevention/Engagement &amp; Missing)" in label for label in pictures)
    assert any("Public Contact &amp; Engagement" in label and "Digital Services" in label for label in pictures)
    amber = StatusLevel.objects.get(scale__code="delivery", code="AMBER")
    assert f'fill="{amber.colour}"' in page  # the FCR project, Amber in both pictures


def test_the_board_page_lists_the_demo_reports_with_who_published_them_when(client, june_paper, viewer):
    client.force_login(viewer)
    page = client.get(Board.objects.get(name="Audit Committee").get_absolute_url()).content.decode()
    assert "Cleveland Police Change Programme" in page
    assert "1 Jun 2022, 09:00 by Programme Office" in page
    april = Report.objects.get(board__name="Force Change Board")
    assert (april.meeting_date.isoformat(), april.status) == ("2022-04-14", "published")


def test_the_word_paper_draws_the_pictures_as_png_and_the_bullets_as_word_bullets(client, june_paper, viewer):
    client.force_login(viewer)
    response = client.get(reverse("reporting:report_docx", args=[june_paper.pk]))
    doc = Document(io.BytesIO(response.content))
    pictures = list(doc.inline_shapes)
    assert len(pictures) == 2
    descriptions = [p._inline.docPr.get("descr") for p in pictures]
    assert descriptions[0].startswith("Programme progress April 2022.")
    assert descriptions[1].startswith("Revised programme.")
    images = [rel.target_part for rel in doc.part.rels.values() if "image" in rel.reltype]
    assert all(image.content_type == "image/png" and image.blob[:8] == b"\x89PNG\r\n\x1a\n" for image in images)
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "Purple items have been deprioritised" in bullets
    assert any(b.startswith("The development of training and guidance for the use of Civil Orders") for b in bullets)


@pytest.mark.usefixtures("pdf_tools")
def test_the_pdf_paper_holds_the_seeds_key_sentences_and_both_pictures(june_paper, tmp_path):
    import subprocess

    path = tmp_path / "june.pdf"
    call_command("export_report", str(june_paper.pk), "--format", "pdf", "--output", str(path))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for sentence in (
        "4.2 Overall, the categories of Risk and Funding continue to report",
        "Programme progress April 2022",
        "Revised programme",
        "5.6 The changes completed will now be embedded as follows:",
        "Purple items have been deprioritised",
    ):
        assert sentence in text, sentence
    # The pictures are drawn as SVG, so their words are text in the PDF: the revised workstreams are there.
    assert "Enabling Services" in text and "National Development" in text


def test_the_papers_status_colours_come_from_its_own_stylesheet_not_inline_styles(client, june_paper, viewer):
    client.force_login(viewer)
    page = client.get(june_paper.get_absolute_url()).content.decode()
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    css_url = reverse("reporting:report_colours", args=[june_paper.pk])
    assert f'href="{css_url}"' in page and 'style="' not in page
    name = f"rc-{red.colour[1:].upper()}-{red.text_colour[1:].upper()}"
    assert f'class="status-badge {name}"' in page
    css = client.get(css_url)
    assert css["Content-Type"] == "text/css; charset=utf-8" and f".{name} " in css.content.decode()
