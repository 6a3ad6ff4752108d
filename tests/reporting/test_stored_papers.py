"""Papers a committee secretary sends unchanged: a published paper's HTML, PDF and Word are rendered once, when it
is published, and every download is those bytes; a draft says DRAFT on every page; a superseded paper says so on
every page while the paper as issued stays retrievable; the marking prints as written in every format."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document

from reporting import outputs, services
from reporting.models import Report, ReportArtefact, ReportStatus
from tests.builders import draft_paper, publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_tools")]


def draft_for(portfolio, pmo, meeting=date(2022, 6, 1), board="Executive"):
    return draft_paper(portfolio["programme"], pmo, board=board, meeting=meeting)


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def word_header_and_text(content: bytes) -> tuple[str, str]:
    word = Document(BytesIO(content))
    header = " ".join(p.text for p in word.sections[0].header.paragraphs)
    return header, " ".join(p.text for p in word.paragraphs)


def download(client, report, fmt, **params):
    return client.get(reverse(f"reporting:report_{fmt}", args=[report.pk]), params)


def test_publishing_stores_each_output_once_and_every_download_is_those_bytes(client, pmo, viewer, portfolio):
    report = publish(draft_for(portfolio, pmo), pmo)
    stored = {a.format: a for a in ReportArtefact.objects.filter(report=report)}
    assert sorted(stored) == ["docx", "html", "pdf", "pptx"]
    assert all(a.edition == "issued" and a.sha256 == outputs.sha256(bytes(a.content)) for a in stored.values())
    client.force_login(viewer)
    for fmt, artefact in stored.items():
        first, second = download(client, report, fmt), download(client, report, fmt)
        assert first.content == second.content == bytes(artefact.content)
        assert first["ETag"] == f'"{artefact.sha256}"'
    reason = report.history.latest().history_change_reason
    assert reason.startswith("Published as version 1")
    assert all(a.sha256 in reason for a in stored.values())
    page = client.get(report.get_absolute_url()).content.decode()
    assert all(a.sha256 in page for a in stored.values()) and "version 1" in page


def test_a_later_change_of_code_or_data_never_changes_a_published_paper(client, pmo, viewer, portfolio, monkeypatch):
    report = publish(draft_for(portfolio, pmo), pmo)
    client.force_login(viewer)
    before = {fmt: download(client, report, fmt).content for fmt in outputs.FORMATS}
    # Tomorrow's code renders every format differently, and the data moves on.
    monkeypatch.setattr(outputs, "RENDERERS", {fmt: lambda document: b"new look" for fmt in outputs.FORMATS})
    portfolio["ws_a"].name = "Renamed after publishing"
    portfolio["ws_a"].save()
    assert {fmt: download(client, report, fmt).content for fmt in outputs.FORMATS} == before
    # A draft is rendered now, by today's code.
    client.force_login(pmo)
    assert download(client, draft_for(portfolio, pmo, date(2022, 7, 1)), "pdf").content == b"new look"


def test_the_paper_says_when_it_was_published_by_whom_its_version_and_its_fingerprint(pmo, portfolio, tmp_path):
    report = publish(draft_for(portfolio, pmo), pmo)
    pdf = bytes(services.artefact(report, "pdf").content)
    text = " ".join(pdf_pages(pdf, tmp_path))
    who = pmo.get_full_name()
    assert f"by {who}, version 1" in text and "Published on" in text
    assert outputs.fingerprint(report.snapshot)[:16] in text.replace(" ", "")
    _, word_text = word_header_and_text(bytes(services.artefact(report, "docx").content))
    assert f"by {who}, version 1" in word_text and outputs.fingerprint(report.snapshot) in word_text


def test_every_page_of_a_drafts_outputs_says_draft_not_published(client, pmo, portfolio, tmp_path):
    report = draft_for(portfolio, pmo)
    client.force_login(pmo)
    pages = pdf_pages(download(client, report, "pdf").content, tmp_path)
    assert pages and all("DRAFT – not published" in page for page in pages)
    header, text = word_header_and_text(download(client, report, "docx").content)
    assert "DRAFT – not published" in header and "DRAFT – not published" in text
    html = download(client, report, "html").content.decode()
    assert html.count('class="stamp-banner">DRAFT – not published<') == 2
    assert download(client, report, "pdf")["Content-Disposition"].endswith('-draft.pdf"')
    assert not ReportArtefact.objects.filter(report=report).exists()


def test_a_superseded_paper_says_so_on_every_page_and_the_paper_as_issued_stays(
    client, pmo, viewer, portfolio, tmp_path
):
    first = publish(draft_for(portfolio, pmo), pmo)
    client.force_login(viewer)
    issued = download(client, first, "pdf").content
    second = publish(services.report_supersede(report=first, by=pmo), pmo)
    first.refresh_from_db()
    assert (first.status, first.version, second.version) == (ReportStatus.SUPERSEDED, 1, 2)

    marked = download(client, first, "pdf").content
    words = f"SUPERSEDED on {second.published_at:%-d %B %Y} by version 2 (report {second.pk})"
    assert all(words in page for page in pdf_pages(marked, tmp_path))
    header, _ = word_header_and_text(download(client, first, "docx").content)
    assert words in header
    assert download(client, first, "pdf", edition="issued").content == issued
    assert not any("SUPERSEDED" in page for page in pdf_pages(issued, tmp_path))
    assert "Superseded by version 2" in first.history.latest().history_change_reason
    assert download(client, first, "pdf", edition="latest").status_code == 400


def test_one_paper_per_board_and_meeting_is_published_unless_it_supersedes(pmo, portfolio):
    publish(draft_for(portfolio, pmo), pmo)
    second = draft_for(portfolio, pmo)
    with pytest.raises(ValidationError, match="already published for this meeting"):
        publish(second, pmo)
    second.refresh_from_db()
    assert second.status == ReportStatus.DRAFT and not second.artefacts.exists()
    # Another board's paper, or the same board's next meeting, is its own.
    publish(draft_for(portfolio, pmo, board="Audit Committee"), pmo)
    publish(draft_for(portfolio, pmo, meeting=date(2022, 7, 1)), pmo)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        Report.objects.filter(pk=second.pk).update(status=ReportStatus.PUBLISHED, snapshot={})


@pytest.mark.parametrize("marking", ["OFFICIAL-SENSITIVE", 'OFFICIAL – "Ops" Café', "OFFICIAL\\SENSITIVE </style>"])
def test_the_marking_prints_as_written_in_every_format_and_on_screen(
    client, pmo, portfolio, settings, tmp_path, marking
):
    settings.PROTECTIVE_MARKING = marking
    report = draft_for(portfolio, pmo)
    client.force_login(pmo)
    pages = pdf_pages(download(client, report, "pdf").content, tmp_path)
    assert all(page.count(marking.split("<")[0].strip()) >= 2 for page in pages), pages[0][:300]
    header, _ = word_header_and_text(download(client, report, "docx").content)
    assert marking in header
    html = download(client, report, "html").content.decode()
    from django.utils.html import escape

    assert html.count(f'<p class="marking">{escape(marking)}</p>') == 2
    assert "</style>" not in html.split("<style>")[1].split("</style>")[0]


def test_export_report_writes_the_stored_bytes_and_prints_their_hash(pmo, portfolio, tmp_path, capsys):
    report = publish(draft_for(portfolio, pmo), pmo)
    stored = services.artefact(report, "docx")
    call_command("export_report", report.pk, "--format", "docx", "--output", str(tmp_path / "paper.docx"))
    assert (tmp_path / "paper.docx").read_bytes() == bytes(stored.content)
    assert f"SHA-256 {stored.sha256}" in capsys.readouterr().out


def test_a_paper_published_before_outputs_were_stored_gets_them_on_first_download_once(client, pmo, viewer, portfolio):
    report = publish(draft_for(portfolio, pmo), pmo)
    ReportArtefact.objects.filter(report=report).delete()
    client.force_login(viewer)
    first = download(client, report, "docx").content
    assert ReportArtefact.objects.filter(report=report).count() == 4
    assert download(client, report, "docx").content == first


def test_a_narrative_paragraph_beyond_its_subheadings_is_kept(pmo, portfolio):
    report = draft_for(portfolio, pmo)
    section = report.sections.filter(kind="narrative").first()
    section.subheadings = "Finance\nRisk"
    section.save()
    services.report_section_update(section=section, text="Money.\n\nRisks.\n\nLegal: none.", by=pmo)
    from reporting.compose import compose

    [composed] = [s for s in compose(report)["sections"] if s["heading"] == section.heading]
    texts = [(b.get("subheading"), b["text"]) for b in composed["blocks"]]
    assert texts[-3:] == [("Finance", "Money."), ("Risk", "Risks."), ("", "Legal: none.")]


def pdf_objects(content: bytes) -> bytes:
    """The PDF's objects with every compressed stream unpacked, so its structure can be read."""
    import re
    import zlib

    parts = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_is_tagged_with_its_title_language_and_each_pictures_description(pmo, portfolio, tmp_path):
    report = draft_for(portfolio, pmo, board="Audit Committee")
    report.comparison_date = date(2022, 4, 1)
    report.save()
    report = publish(report, pmo)
    content = bytes(services.artefact(report, "pdf").content)
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and f"Title:           {report.title}" in info
    structure = pdf_objects(content)
    assert b"/Lang (en-GB)" in structure
    figures = [b for s in report.snapshot["sections"] for b in s["blocks"] if b["type"] == "figure"]
    assert figures
    for figure in figures:
        assert f"/Alt ({figure['caption']}. ".encode() in structure


def test_a_risk_reference_is_never_broken_across_lines(pmo, portfolio):
    from reporting.templatetags.reports import keep_references

    kept = str(keep_references("Raised as T2025-R001 and CR-12; not 2022-06 or well-known."))
    assert '<span class="reference">T2025-R001</span>' in kept and '<span class="reference">CR-12</span>' in kept
    assert "2022-06" in kept and '<span class="reference">2022' not in kept and "well-known" in kept
    assert str(keep_references("<b>T2025-R001</b>")).startswith("&lt;b&gt;")  # the text stays escaped


def test_the_same_stamped_paper_is_laid_out_once_and_a_draft_every_time(pmo, portfolio, monkeypatch):
    calls = []

    def counting(document):
        calls.append(document["stamp"]["state"])
        return b"laid out"

    monkeypatch.setattr(outputs, "RENDERERS", {**outputs.RENDERERS, "pdf": counting})
    report = publish(draft_for(portfolio, pmo), pmo)  # publishing renders the PDF once
    stamp = outputs.issued_stamp(report)
    assert outputs.render(outputs.stamped(report.snapshot, stamp), "pdf") == b"laid out"
    assert calls == ["published"]  # the stored paper's own render was reused
    draft = draft_for(portfolio, pmo, meeting=date(2022, 7, 1))
    from reporting.compose import compose

    for _ in range(2):
        outputs.render(outputs.stamped(compose(draft), outputs.draft_stamp(draft)), "pdf")
    assert calls == ["published", "draft", "draft"]
