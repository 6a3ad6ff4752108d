"""A portfolio's own status, recorded by its office (or its owner) for its board or authority, kept beside what
its programmes roll up to; where the two differ the reason is required and shown. Its summary paper, once
published, never changes."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from changeprog.governance import save_governed
from reporting.models import PortfolioPaper
from reporting.services import portfolio_paper_publish
from tests.factories import make_programme
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Portfolio, PortfolioStatus, StatusScale
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(pmo, lead_a):
    # lead_a owns it: a chief officer who reports the portfolio to the authority.
    return save_governed(Portfolio(code="NCP", name="National change portfolio", owner=lead_a), by=pmo, reason="Set up")


def programme_in(portfolio, name, level, *, by, rag):
    programme = make_programme(by=by, name=name)
    services.item_update(item=programme, changes={"portfolio": portfolio}, by=by, reason="Reported in it")
    if level:
        overall = programme.dimensions.get(code="overall")
        services.status_update_submit(
            subject=programme, as_of=date(2026, 10, 31), ratings=[RatingInput(overall, rag[level], "Why")], by=by
        )
    return programme


@pytest.fixture
def two_red_one_amber(national, pmo, rag):
    for name, level in (("Digital", "RED"), ("Estates", "AMBER"), ("People", "RED")):
        programme_in(national, name, level, by=pmo, rag=rag)
    return national


def record(client, portfolio, **data):
    return client.post(
        reverse("workstreams:portfolio_status", args=[portfolio.pk]),
        {"as_of": timezone.localdate().strftime("%d/%m/%Y"), "summary": "Two programmes are off track.", **data},
    )


def test_the_office_records_the_portfolio_status_and_the_rollup_is_kept_beside_it(
    client, pmo, viewer, two_red_one_amber, rag
):
    client.force_login(pmo)
    form = client.get(reverse("workstreams:portfolio_status", args=[two_red_one_amber.pk])).content.decode()
    assert "Red: the worst of 3 programmes (Digital, People Red)" in form
    assert f'value="{rag["RED"].pk}" selected' in form  # starts from the roll-up
    response = record(client, two_red_one_amber, level=rag["RED"].pk)
    assert response.status_code == 302
    status = PortfolioStatus.objects.get()
    assert (status.level, status.rolled_up_level) == (rag["RED"], rag["RED"])
    assert status.rolled_up_explanation == "Red: the worst of 3 programmes (Digital, People Red)"
    assert not status.differs_from_rollup
    row = status.history.get()
    assert (row.history_user, row.history_change_reason) == (pmo, "Portfolio status recorded")
    client.force_login(viewer)
    page = client.get(reverse("workstreams:portfolio", args=[two_red_one_amber.pk])).content.decode()
    assert "Two programmes are off track." in page and "Differs from its" not in page


def test_a_status_other_than_the_rollup_needs_its_reason_which_the_page_and_the_paper_show(
    client, pmo, viewer, two_red_one_amber, rag
):
    client.force_login(pmo)
    refused = record(client, two_red_one_amber, level=rag["AMBER"].pk)
    assert refused.status_code == 400
    assert "Amber is not what its programmes roll up to (Red: the worst of 3 programmes" in refused.content.decode()
    assert not PortfolioStatus.objects.exists()
    reason = "Both Red programmes have recovery plans the board approved in October."
    assert record(client, two_red_one_amber, level=rag["AMBER"].pk, difference_reason=reason).status_code == 302
    assert PortfolioStatus.objects.get().differs_from_rollup
    client.force_login(viewer)
    page = client.get(reverse("workstreams:portfolio", args=[two_red_one_amber.pk])).content.decode()
    assert "Differs from its programmes" in page and reason in page
    word = client.get(reverse("reporting:portfolio_docx", args=[two_red_one_amber.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Two programmes are off track." in text and reason in text
    assert "differs from what its programmes rolled up to" in text


def test_one_status_a_day_and_none_for_a_day_not_come(client, pmo, two_red_one_amber, rag):
    client.force_login(pmo)
    assert record(client, two_red_one_amber, level=rag["RED"].pk).status_code == 302
    again = record(client, two_red_one_amber, level=rag["RED"].pk)
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    future = record(client, two_red_one_amber, level=rag["RED"].pk, as_of=tomorrow)
    assert future.status_code == 400 and "a day that has not come" in future.content.decode()
    assert PortfolioStatus.objects.count() == 1


def test_the_owner_records_its_status_and_another_lead_cannot(client, lead_a, lead_b, viewer, two_red_one_amber, rag):
    client.force_login(lead_a)
    assert record(client, two_red_one_amber, level=rag["RED"].pk).status_code == 302
    for other in (lead_b, viewer):
        client.force_login(other)
        assert record(client, two_red_one_amber, level=rag["GREEN"].pk, difference_reason="x").status_code == 403
        page = client.get(reverse("workstreams:portfolio", args=[two_red_one_amber.pk])).content.decode()
        assert "Record its status" not in page
    assert PortfolioStatus.objects.count() == 1


def test_programmes_on_several_scales_need_the_portfolio_to_choose_its_own(client, pmo, national, rag):
    programme_in(national, "Digital", "RED", by=pmo, rag=rag)
    other = programme_in(national, "Estates", None, by=pmo, rag=rag)
    dca = StatusScale.objects.current("dca")
    overall = other.dimensions.get(code="overall")
    services.dimension_set_scale(dimension=overall, scale=dca, by=pmo, reason="Five points", effective=date(2020, 1, 1))
    services.status_update_submit(
        subject=other, as_of=date(2026, 11, 1), ratings=[RatingInput(overall, dca.levels.get(code="AG"), "x")], by=pmo
    )
    client.force_login(pmo)
    url = reverse("workstreams:portfolio_status", args=[national.pk])
    assert "there is no one scale to give its status on" in client.get(url).content.decode()
    national.scale = dca
    save_governed(national, by=pmo, reason="The authority reads the five-point scale")
    page = client.get(url).content.decode()
    assert "Amber/Green" in page and "Its status is given on" in page
    # A level of another scale is refused by the model's own rule (forms, the admin and scripts alike).
    with pytest.raises(Exception, match="Choose a level of"):
        services.portfolio_status_record(portfolio=national, level=rag["RED"], summary="x", by=pmo)
    ok = services.portfolio_status_record(portfolio=national, level=dca.levels.get(code="A"), summary="x", by=pmo)
    assert ok.rolled_up_level is None and not ok.differs_from_rollup  # no single roll-up: nothing to differ from


def test_a_published_portfolio_paper_never_changes(client, pmo, viewer, two_red_one_amber, rag):
    client.force_login(pmo)
    record(client, two_red_one_amber, level=rag["RED"].pk)
    url = reverse("reporting:portfolio_papers", args=[two_red_one_amber.pk])
    published = client.post(url, {"addressed_to": "Police and Crime Panel, January 2027"})
    assert published.status_code == 302
    paper = PortfolioPaper.objects.get()
    assert paper.published_by == pmo and paper.addressed_to == "Police and Crime Panel, January 2027"
    word = client.get(reverse("reporting:portfolio_paper_docx", args=[paper.pk]))
    assert word["X-Content-SHA256"] == paper.docx_sha256
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Two programmes are off track." in text and "Content fingerprint (SHA-256)" in text
    # The data moves on: a programme recovers and a new status is recorded for tomorrow's paper.
    digital = two_red_one_amber.programmes.get(name="Digital")
    services.status_update_submit(
        subject=digital,
        as_of=date(2026, 11, 30),
        ratings=[RatingInput(digital.dimensions.get(code="overall"), rag["GREEN"], "Recovered")],
        by=pmo,
    )
    live = client.get(reverse("reporting:portfolio_docx", args=[two_red_one_amber.pk]))
    assert "Red: the worst of 3 programmes (People Red)." in "\n".join(
        p.text for p in Document(io.BytesIO(live.content)).paragraphs
    )
    client.force_login(viewer)
    again = client.get(reverse("reporting:portfolio_paper_docx", args=[paper.pk]))
    assert again.content == word.content
    pdf = client.get(reverse("reporting:portfolio_paper_pdf", args=[paper.pk]))
    assert pdf.content.startswith(b"%PDF") and pdf["X-Content-SHA256"] == paper.pdf_sha256
    page = client.get(url).content.decode()
    assert "Police and Crime Panel, January 2027" in page and "Publish the summary paper" not in page
    assert client.post(url, {"addressed_to": "x"}).status_code == 403
    paper.title = "Edited"
    with pytest.raises(Exception, match="never changes"):
        paper.save()
    with pytest.raises(Exception, match="kept for good"):
        paper.delete()
    assert PortfolioPaper.objects.count() == 1


def test_the_api_gives_the_recorded_status_beside_the_rollup(client, pmo, viewer, two_red_one_amber, rag):
    services.portfolio_status_record(
        portfolio=two_red_one_amber, level=rag["AMBER"], summary="Recovering", difference_reason="Plans agreed", by=pmo
    )
    client.force_login(viewer)
    data = client.get(reverse("api:portfolio-detail", args=[two_red_one_amber.pk])).json()
    assert data["status"]["level"] == "RED"
    recorded = data["recorded_status"]
    assert (recorded["level"], recorded["rolled_up_level"], recorded["differs_from_rollup"]) == ("AMBER", "RED", True)
    assert recorded["difference_reason"] == "Plans agreed" and recorded["summary"] == "Recovering"


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_status_and_papers_pages_cost_the_same_queries_at_any_size(client, pmo, national, rag):
    client.force_login(pmo)
    status_url = reverse("workstreams:portfolio_status", args=[national.pk])
    papers_url = reverse("reporting:portfolio_papers", args=[national.pk])
    programme_in(national, "First", "GREEN", by=pmo, rag=rag)
    portfolio_paper_publish(portfolio=national, by=pmo)
    small = (_count(client, status_url), _count(client, papers_url))
    for n in range(8):
        programme_in(national, f"More {n}", ("GREEN", "AMBER", "RED")[n % 3], by=pmo, rag=rag)
        services.portfolio_status_record(
            portfolio=national,
            level=rag["RED"],
            summary="x",
            as_of=date(2026, 1, 1) + timedelta(days=n),
            difference_reason="y",
            by=pmo,
        )
    for _ in range(3):
        portfolio_paper_publish(portfolio=national, by=pmo)
    assert_pinned("workstreams:portfolio_status", [small[0], _count(client, status_url)])
    assert_pinned("reporting:portfolio_papers", [small[1], _count(client, papers_url)])
