"""The programme board: who sees it, what it flags, and how its filters narrow it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.portfolio import load_demo
from tests.conftest import has_badge
from workstreams import services
from workstreams.models import StatusLevel, StatusRating
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def board_url(programme):
    return reverse("workstreams:board", args=[programme.pk])


def card(html, name):
    """The board card (its <li>) that shows the named item."""
    return next(piece.split("</li>")[0] for piece in html.split('<li class="board-card') if f">{name}</a>" in piece)


@pytest.fixture
def demo():
    return load_demo(password="x" * 16)[0]


@pytest.mark.parametrize("persona", ["pmo", "lead_a", "lead_b", "viewer"])
def test_every_role_reads_the_board(client, request, portfolio, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(board_url(portfolio["programme"])).content.decode()
    assert "programme board" in html and "Project A" in html and "Project B" in html


def test_no_role_and_anonymous_cannot_read_the_board(client, portfolio, no_role):
    assert client.get(board_url(portfolio["programme"])).status_code == 302
    client.force_login(no_role)
    assert client.get(board_url(portfolio["programme"])).status_code == 403


def test_the_board_as_at_june_2022_shows_the_seed_picture(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(board_url(demo), {"as_at": "2022-06-01"}).content.decode()
    delivery = {lv.code: lv for lv in StatusLevel.objects.filter(scale__code="delivery")}
    assert f'board-card-strip level-{delivery["AMBER"].pk}">Amber</div>' in html  # the FCR project
    assert f'board-card-strip level-{delivery["RED"].pk}">Red</div>' in html  # Resource Management
    assert f'board-card-strip level-{delivery["GREY"].pk}">Grey</div>' in html  # Cambridge Harm Index
    assert "Closed or deprioritised, not shown:" in html and "Raising Investigation Standards</a>" in html


def test_the_board_as_at_the_april_board_and_after_the_review(client, viewer, demo):
    client.force_login(viewer)
    april = client.get(board_url(demo), {"as_at": "2022-04-14"}).content.decode()
    july = client.get(board_url(demo), {"as_at": "2022-07-01"}).content.decode()
    assert "Vulnerability (Prevention/Engagement &amp; Missing)</a></h3>" in april
    assert "Public Contact &amp; Engagement" not in april
    assert "Public Contact &amp; Engagement</a></h3>" in july
    assert "Vulnerability (Prevention/Engagement &amp; Missing)</a></h3>" not in july


def test_flags_show_what_needs_attention(client, pmo, portfolio, rag):
    yesterday = timezone.localdate() - timedelta(days=1)
    project = portfolio["project_a"]
    services.item_replan(item=project, forecast_end_date=date(2022, 3, 31), by=pmo, reason="Plan")
    services.item_replan(item=project, forecast_end_date=date(2022, 6, 30), by=pmo, reason="Slipped")
    services.item_set_lifecycle(
        item=portfolio["project_b"], lifecycle="closing", planned_closure_date=yesterday, by=pmo, reason="Closing"
    )
    update = services.status_update_submit(
        subject=project,
        as_of=timezone.localdate(),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["RED"], "why")],
        by=pmo,
    )
    # A Red without a reason can arrive from older data; the board must show it.
    StatusRating.objects.filter(update=update).update(reason="")
    client.force_login(pmo)
    html = client.get(board_url(portfolio["programme"])).content.decode()
    card_a, card_b = card(html, "Project A"), card(html, "Project B")
    assert "Needs a reason" in card_a and "Forecast past baseline" in card_a
    assert "No update this period" not in card_a
    assert "No update this period" in card_b and "Past its end date" in card_b


def test_filters_narrow_the_cards_and_keep_query_free(client, pmo, portfolio, lead_a):
    client.force_login(pmo)
    url = board_url(portfolio["programme"])
    by_owner = client.get(url, {"owner": lead_a.pk}).content.decode()
    assert ">Project A</a>" in by_owner and ">Project B</a>" not in by_owner
    by_flag = client.get(url, {"flag": "slipped"}).content.decode()
    assert "No projects match." in by_flag
    by_stream = client.get(url, {"workstream": portfolio["ws_b"].pk}).content.decode()
    assert "Workstream B</a></h3>" in by_stream and "Workstream A</a></h3>" not in by_stream


def test_a_filter_value_not_on_offer_is_refused_on_the_form(client, pmo, portfolio):
    client.force_login(pmo)
    html = client.get(board_url(portfolio["programme"]), {"flag": "nonsense"}).content.decode()
    assert "Select a valid choice." in html
    assert ">Project A</a>" in html


def test_htmx_gets_only_the_board_and_a_plain_request_the_whole_page(client, pmo, portfolio):
    client.force_login(pmo)
    fragment = client.get(board_url(portfolio["programme"]), headers={"HX-Request": "true"}).content.decode()
    page = client.get(board_url(portfolio["programme"])).content.decode()
    assert fragment.lstrip().startswith('<div id="board-content"') and "<html" not in fragment
    assert "<html" in page and 'id="board-content"' in page


def test_the_board_colours_a_workstream_by_its_latest_status(client, pmo, portfolio, rag):
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 7, 1),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["RED"], "IT capacity")],
        by=pmo,
    )
    client.force_login(pmo)
    html = client.get(board_url(portfolio["programme"])).content.decode()
    column = html[html.index("Workstream A</a></h3>") :][:800]
    assert has_badge(column, rag["RED"])
