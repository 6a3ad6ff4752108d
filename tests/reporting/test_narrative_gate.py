"""Narrative that cannot be lost or go stale: the publish gate reads the office's words against the data at the
meeting (empty sections, placeholders and empty bullets, the programme's status said otherwise, closures still
to come that were past, identical pictures), and a suggestion can be written afresh from the data and compared
with the office's words before it replaces them."""

from datetime import date

import pytest
from django.urls import reverse

from reporting import quality, services
from tests.builders import draft_paper, publish
from workstreams import services as portfolio_services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(portfolio, pmo, rag):
    """The programme rated Red at the end of May."""
    programme = portfolio["programme"]
    portfolio_services.status_update_submit(
        subject=programme,
        as_of=date(2022, 5, 20),
        ratings=[RatingInput(programme.dimensions.get(code="overall"), rag["RED"], "Funding gap")],
        by=pmo,
    )
    return programme


def draft(portfolio, pmo, meeting=date(2022, 6, 1), board="Executive", comparison=None):
    return draft_paper(portfolio["programme"], pmo, board=board, meeting=meeting, comparison=comparison)


def write(report, pmo, text):
    section = report.sections.filter(kind="narrative").first()
    services.report_section_update(section=section, text=text, by=pmo)
    return section


def found(report) -> dict:
    return {f.code: [name for name, _ in f.items] for f in quality.findings(report)}


def test_a_sentence_naming_the_programmes_status_otherwise_than_the_data_is_found(pmo, portfolio, rated):
    report = draft(portfolio, pmo)
    write(report, pmo, "The programme is currently at Amber status.\n\nWorkstream A is currently Green.")
    [finding] = found(report)["narrative-status"]
    assert "currently at Amber" in finding and "the data says Red" in finding
    write(report, pmo, "The programme is currently at Red status.")
    assert "narrative-status" not in found(report)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New workstreams:\n· (none)", "“(none)”"),
        ("The budget is TBC.", "“TBC”"),
        ("Owner: {owner}", "“{owner}”"),
        ("The changes were:\n·\n· Triage moved", "an empty bullet"),
    ],
)
def test_placeholders_and_empty_bullets_are_found(pmo, portfolio, rated, text, expected):
    report = draft(portfolio, pmo)
    section = write(report, pmo, text)
    assert f"{section.heading}: {expected}" in found(report)["narrative-placeholder"]


def test_an_empty_narrative_section_is_found(pmo, portfolio, rated):
    report = draft(portfolio, pmo)
    section = write(report, pmo, "")
    assert section.heading in found(report)["narrative-empty"]


def test_a_closure_still_to_come_in_a_month_past_at_the_meeting_is_found(pmo, portfolio, rated):
    report = draft(portfolio, pmo, meeting=date(2022, 12, 8))
    write(
        report, pmo, "The IOM workstream is planned to close at the end of June.\n\nTriage will complete in March 2023."
    )
    [finding] = found(report)["narrative-past"]
    assert "close at the end of June" in finding
    # In a June paper the same words look forward, and are not found.
    june = draft(portfolio, pmo, meeting=date(2022, 6, 1), board="Audit Committee")
    write(june, pmo, "The IOM workstream is planned to close at the end of June.")
    assert "narrative-past" not in found(june)


def test_identical_before_and_after_pictures_are_found_when_nothing_changed(pmo, portfolio, rated):
    report = draft(portfolio, pmo, board="Audit Committee", comparison=date(2022, 5, 25))
    [pair] = found(report)["pictures-identical"]
    assert "Revised programme" in pair


def test_each_narrative_finding_must_be_acknowledged_to_publish(pmo, portfolio, rated):
    report = draft(portfolio, pmo)
    write(report, pmo, "The programme is currently Amber.")
    codes = [f.code for f in quality.findings(report)]
    with pytest.raises(services.QualityNotAcknowledged, match="The programme's status said otherwise"):
        services.report_publish(report=report, by=pmo, acknowledged=[c for c in codes if c != "narrative-status"])
    published = publish(report, pmo)
    assert "The programme's status said otherwise (1)" in published.history.latest().history_change_reason


def test_the_office_compares_its_words_with_a_fresh_suggestion_and_starts_from_it(client, pmo, portfolio, rated):
    report = draft(portfolio, pmo)
    section = report.sections.filter(kind="narrative").exclude(text="").first()
    suggestion = services.section_suggestion(section)
    assert suggestion and "Red" in suggestion  # written now from the data as at the meeting
    services.report_section_update(section=section, text="My own opening.", by=pmo)
    client.force_login(pmo)
    url = reverse("reporting:section_edit", args=[section.pk])
    page = client.get(url).content.decode()
    assert "Suggestion from the data as at 1 June 2022" in page
    assert '<del><span class="visually-hidden">Only in your words: </span>My own opening.</del>' in page
    started = client.get(url, {"suggest": "1"})
    assert started.context["form"]["text"].value() == suggestion
    section.refresh_from_db()
    assert section.text == "My own opening."  # nothing changes until the office saves
    saved = client.post(url, {"text": suggestion, "seen_version": started.context["seen_version"]})
    assert saved.status_code == 302
    section.refresh_from_db()
    assert section.text == suggestion
