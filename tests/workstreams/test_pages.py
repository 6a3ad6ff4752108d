"""The read-only portfolio pages: who may see them, and what they show."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from tests.conftest import has_badge
from workstreams import services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db

READERS = ["pmo", "lead_a", "lead_b", "viewer"]


def page_urls(portfolio):
    return {
        "home": reverse("workstreams:programme_list"),
        "programme": portfolio["programme"].get_absolute_url(),
        "workstream": portfolio["ws_a"].get_absolute_url(),
        "project": portfolio["project_b"].get_absolute_url(),
    }


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("page", ["home", "programme", "workstream", "project"])
def test_every_role_reads_every_portfolio_page(client, request, portfolio, persona, page):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page_urls(portfolio)[page])
    assert response.status_code == 200
    html = response.content.decode()
    expected = {
        "home": "Portfolio under test",
        "programme": "Workstream B",
        "workstream": "Workstream A",
        "project": "Project B",
    }
    assert expected[page] in html


@pytest.mark.parametrize("page", ["home", "programme", "workstream", "project"])
def test_a_signed_in_user_without_a_role_is_refused(client, portfolio, no_role, page):
    client.force_login(no_role)
    response = client.get(page_urls(portfolio)[page])
    assert response.status_code == 403
    assert "Portfolio under test" not in response.content.decode()


@pytest.mark.parametrize("page", ["home", "programme", "workstream", "project"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, portfolio, page):
    url = page_urls(portfolio)[page]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_an_unknown_programme_is_not_found(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("workstreams:programme", args=[999999])).status_code == 404


def test_the_login_page_signs_a_user_in_and_out(client, viewer):
    response = client.post(reverse("login"), {"username": "viewer-user", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == reverse("home")  # My work
    assert client.get(reverse("workstreams:programme_list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("workstreams:programme_list")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client, viewer):
    response = client.post(reverse("login"), {"username": "viewer-user", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_programme_page_shows_each_workstreams_status_colour_and_reason(client, portfolio, pmo, viewer, rag):
    overall = portfolio["programme"].dimensions.get(code="overall")
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 4, 14),
        ratings=[RatingInput(overall, rag["RED"], "Lack of capacity within IT and HR")],
        by=pmo,
    )
    client.force_login(viewer)
    html = client.get(portfolio["programme"].get_absolute_url()).content.decode()
    assert has_badge(html, rag["RED"])
    assert "Lack of capacity within IT and HR" in html
    assert "No status recorded." in html  # workstream B has none yet


def test_the_workstream_page_shows_its_status_history_with_who_and_why(client, portfolio, pmo, lead_a, viewer, rag):
    overall = portfolio["programme"].dimensions.get(code="overall")
    for day, code, reason, author in [
        (date(2022, 4, 14), "AMBER", "Slippage in implementing the technology", lead_a),
        (date(2022, 6, 1), "RED", "IT team diverted to high-risk force work", pmo),
    ]:
        services.status_update_submit(
            subject=portfolio["ws_a"], as_of=day, ratings=[RatingInput(overall, rag[code], reason)], by=author
        )
    client.force_login(viewer)
    html = client.get(portfolio["ws_a"].get_absolute_url()).content.decode()
    june, april = html.index("As at 1 Jun 2022"), html.index("As at 14 Apr 2022")
    assert june < april  # newest first
    assert "IT team diverted to high-risk force work" in html[june:april]
    # Both were entered today about earlier periods, so each says so, with who entered it.
    today = formats.date_format(timezone.localdate(), "j M Y")
    assert f"Recorded later, on {today} by {pmo.get_full_name()}" in html[june:april]
    assert "Slippage in implementing the technology" in html[april:]
    assert f"Recorded later, on {today} by {lead_a.get_full_name()}" in html[april:]


def test_pages_say_so_when_there_is_nothing_yet(client, viewer):
    client.force_login(viewer)
    assert "There are no programmes yet." in client.get(reverse("workstreams:programme_list")).content.decode()
