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


# A column's cards as the board's template wrote them before they were written in Python.
TEMPLATE_CARDS = """{% load changeprog %}{% for card in column.cards %}
        <li class="board-card{% if card.headline %} board-card-rated{% endif %}">
          <div class="board-card-strip {% if card.headline %}level-{{ card.headline.level.pk }}{% else %}unrated{% endif %}">{% if card.headline %}{{ card.headline.level.label }}{% else %}Not rated{% endif %}</div>
          <div class="board-card-body">
            <a href="{% item_url card.item as_at %}">{{ card.item.name }}</a>
            <div class="small text-body-secondary">{{ card.item.get_lifecycle_display }}{% if card.item.manager %} · {{ card.item.manager|person }}{% endif %}</div>
            {% if card.own %}<dl class="board-card-own small mb-1">{% for cell in card.own %}{% if cell.text %}<div><dt class="d-inline">{{ cell.field.label }}:</dt> <dd class="d-inline m-0">{{ cell.text }}</dd></div>{% endif %}{% endfor %}</dl>{% endif %}
            {% if card.headline.explanation %}<p class="status-reason">{{ card.headline.explanation|truncatewords:24 }}</p>{% endif %}
            {% for code, label in card.flag_labels %}<span class="badge flag flag-{{ code }}">{{ label }}</span> {% endfor %}
            {% if "differs-from-rule" in card.flags %}<p class="small mb-0">{% include "includes/rule_difference.html" with update=card.row.update %}</p>{% endif %}
          </div>
        </li>
        {% empty %}
        <li class="small text-body-secondary p-2">No projects match.</li>
        {% endfor %}"""  # noqa: E501


def assert_cards_as_template_wrote_them(client, programme, params=None) -> str:
    """The board's cards read as the template wrote them, column by column; the page's HTML."""
    import re

    from django.template import engines

    page = client.get(board_url(programme), params or {})
    html = page.content.decode()
    board = page.context["board"]
    template = engines["django"].from_string(TEMPLATE_CARDS)

    def same(text):
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", text)).strip()

    shown = re.findall(r'<ul class="list-unstyled mb-0">(.*?)</ul>', html, re.S)
    expected = [template.render({"column": c, "as_at": page.context["as_at"]}) for c in board.columns]
    assert len(shown) == len(expected) == len(board.columns)
    assert [same(s) for s in shown] == [same(e) for e in expected]
    return html


def test_the_cards_read_as_the_boards_template_wrote_them(client, pmo, portfolio, rag, demo):
    project = portfolio["project_a"]
    services.item_replan(item=project, forecast_end_date=date(2022, 6, 30), by=pmo, reason="Slipped")
    words = " ".join(f"word{n}" for n in range(40)) + " & <more>"
    services.status_update_submit(
        subject=project,
        as_of=timezone.localdate(),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["RED"], words)],
        by=pmo,
    )
    client.force_login(pmo)
    html = assert_cards_as_template_wrote_them(client, portfolio["programme"])
    assert "word23 …" in html and "&lt;more&gt;" not in html  # the reason cut at 24 words
    assert "No projects match." in assert_cards_as_template_wrote_them(
        client, portfolio["programme"], {"level": rag["GREEN"].pk}
    )
    june = assert_cards_as_template_wrote_them(client, demo, {"as_at": "2022-06-01"})
    assert "?as_at=2022-06-01" in june and 'board-card-strip unrated">Not rated' in june
