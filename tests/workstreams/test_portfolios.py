"""A portfolio above the programmes: its programmes with their headline status and its own status rolled up from
them, with the explanation; honest where its programmes report on different scales."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changeprog.governance import save_governed
from tests.factories import make_programme
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Portfolio, StatusScale
from workstreams.selectors import portfolio_overview
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(pmo):
    return save_governed(Portfolio(code="NCP", name="National change portfolio"), by=pmo, reason="Set up")


def programme_in(portfolio, name, level, *, by, rag):
    programme = make_programme(by=by, name=name)
    services.item_update(item=programme, changes={"portfolio": portfolio}, by=by, reason="Reported in it")
    if level:
        overall = programme.dimensions.get(code="overall")
        services.status_update_submit(
            subject=programme, as_of=date(2026, 10, 31), ratings=[RatingInput(overall, rag[level], "Why")], by=by
        )
    return programme


def test_the_portfolio_rolls_up_the_worst_of_its_programmes(client, viewer, pmo, national, rag):
    for name, level in (("Digital", "RED"), ("Estates", "AMBER"), ("People", "RED"), ("Vetting", None)):
        programme_in(national, name, level, by=pmo, rag=rag)
    overview = portfolio_overview(national)
    assert overview.rollup == rag["RED"]
    assert overview.explanation == "Red: the worst of 3 programmes (Digital, People Red)"
    assert [(level.code, n) for level, n in overview.counts] == [("RED", 2), ("AMBER", 1)]
    assert overview.not_rated == 1
    client.force_login(viewer)
    page = client.get(reverse("workstreams:portfolio", args=[national.pk])).content.decode()
    assert "Red: the worst of 3 programmes (Digital, People Red)" in page and "Vetting" in page
    assert national.name in client.get(reverse("workstreams:portfolios")).content.decode()


def test_programmes_on_different_scales_are_not_forced_into_one_level(pmo, national, rag):
    programme_in(national, "Digital", "RED", by=pmo, rag=rag)
    other = programme_in(national, "Estates", None, by=pmo, rag=rag)
    dca = StatusScale.objects.current("dca")
    overall = other.dimensions.get(code="overall")
    services.dimension_set_scale(dimension=overall, scale=dca, by=pmo, reason="Five points", effective=date(2020, 1, 1))
    services.status_update_submit(
        subject=other, as_of=date(2026, 10, 31), ratings=[RatingInput(overall, dca.levels.get(code="AG"), "x")], by=pmo
    )
    overview = portfolio_overview(national)
    assert overview.rollup is None
    assert "report on 2 different scales" in overview.explanation


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_who_reads_a_portfolio(client, request, national, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workstreams:portfolio", args=[national.pk])).status_code == status
    assert client.get(reverse("workstreams:portfolios")).status_code == status


def test_the_portfolio_page_costs_the_same_queries_at_any_size(client, viewer, pmo, national, rag):
    client.force_login(viewer)
    url = reverse("workstreams:portfolio", args=[national.pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    programme_in(national, "First", "GREEN", by=pmo, rag=rag)
    small = count()
    for n in range(12):
        programme_in(national, f"More {n}", ("GREEN", "AMBER", "RED")[n % 3], by=pmo, rag=rag)
    assert_pinned("workstreams:portfolio", [small, count()])


def test_the_portfolio_summary_paper_says_the_same_in_pdf_and_word(client, viewer, pmo, national, rag):
    import io
    import shutil
    import subprocess

    from docx import Document

    for name, level in (("Digital", "RED"), ("Estates", "AMBER")):
        programme_in(national, name, level, by=pmo, rag=rag)
    client.force_login(viewer)
    word = client.get(reverse("reporting:portfolio_docx", args=[national.pk]))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    cells = [c.text for t in Document(io.BytesIO(word.content)).tables for r in t.rows for c in r.cells]
    assert "National change portfolio: portfolio summary" in text
    assert "Red: the worst of 2 programmes (Digital Red)." in text
    assert any("Digital" in c for c in cells) and "Amber" in cells
    pdf = client.get(reverse("reporting:portfolio_pdf", args=[national.pk]))
    assert pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True)
        assert "Red: the worst of 2 programmes (Digital Red)." in extracted.stdout.decode()


def test_two_versions_of_one_scale_still_roll_up_to_one_level(pmo, national, rag):
    first = programme_in(national, "Digital", "AMBER", by=pmo, rag=rag)
    newer = services.scale_change(
        scale=rag["RED"].scale, levels={"RED": {"label": "Red (off track)"}}, by=pmo, reason="Renamed"
    )
    second = programme_in(national, "Estates", None, by=pmo, rag=rag)
    overall = second.dimensions.get(code="overall")
    services.status_update_submit(
        subject=second,
        as_of=date(2026, 10, 31),
        ratings=[RatingInput(overall, newer.levels.get(code="RED"), "Off track")],
        by=pmo,
    )
    overview = portfolio_overview(national)
    assert first.pk and overview.rollup == newer.levels.get(code="RED")
    assert overview.explanation == "Red (off track): the worst of 2 programmes (Estates Red (off track))"
