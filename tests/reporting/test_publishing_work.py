"""Publishing does each piece of work once: the programme as it stood at the meeting is read once for the
checks and the snapshot alike, and each picture is drawn once for a paper's Word file and its slides."""

import json

import pytest

import reporting.quality
import reporting.sections.context
import reporting.services
from changeprog import drawing
from reporting import services
from tests.builders import publish
from tests.reporting.test_reports import demo, published_june_paper  # noqa: F401  # the demo programme fixture
from workstreams import selectors

pytestmark = pytest.mark.django_db


def test_publishing_reads_the_programme_at_the_meeting_once(demo, pmo, monkeypatch):  # noqa: F811
    draft = services.report_supersede(report=published_june_paper(demo), by=pmo)
    acknowledged = [finding.code for finding in reporting.quality.findings(draft)]
    reads = []

    def overview(programme, **kwargs):
        reads.append(kwargs.get("as_of"))
        return selectors.programme_overview(programme, **kwargs)

    for module in (reporting.services, reporting.quality, reporting.sections.context):
        monkeypatch.setattr(module, "programme_overview", overview)
    services.report_publish(report=draft, by=pmo, acknowledged=acknowledged)
    assert reads == [draft.meeting_date, draft.comparison_date]  # the meeting once; the comparison date once


def test_each_picture_is_drawn_once_for_a_papers_word_file_and_slides(demo, pmo):  # noqa: F811
    draft = services.report_supersede(report=published_june_paper(demo), by=pmo)
    drawing._png.cache_clear()
    publish(draft, pmo)
    draft.refresh_from_db()
    pictures = {
        json.dumps(block, sort_keys=True)
        for paper in (draft, draft.supersedes)
        for section in (paper.snapshot or {}).get("sections", [])
        for block in section["blocks"]
        if block["type"] == "figure"
    }
    assert pictures, "the June paper has pictures"
    # Each distinct picture of the new paper and of the superseded one (stamped) is drawn once, not twice.
    assert drawing._png.cache_info().misses == len(pictures)
    assert drawing._png.cache_info().hits >= len(pictures)
