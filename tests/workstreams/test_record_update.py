"""Recording a period's status in the browser form: who may, what the form offers, and what it refuses."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import has_badge
from workstreams import services
from workstreams.models import StatusLevel, StatusUpdate
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def url(kind, item):
    return reverse(f"workstreams:{kind}_record_update", args=[item.pk])


def post_data(programme, *, level, reason="", as_of="2022-06-01", **extra):
    return {"as_of": as_of, "rating_overall": level.pk if level else "", "reason": reason, **extra}


@pytest.mark.parametrize(
    ("persona", "kind", "item", "allowed"),
    [
        ("pmo", "programme", "programme", True),
        ("pmo", "workstream", "ws_b", True),
        ("pmo", "project", "project_b", True),
        ("lead_a", "workstream", "ws_a", True),
        ("lead_a", "project", "project_a", True),
        ("lead_a", "workstream", "ws_b", False),
        ("lead_a", "project", "project_b", False),
        ("lead_a", "programme", "programme", False),
        ("lead_b", "workstream", "ws_a", False),
        ("lead_b", "workstream", "ws_b", True),
        ("viewer", "workstream", "ws_a", False),
        ("viewer", "programme", "programme", False),
        ("no_role", "workstream", "ws_a", False),
    ],
)
def test_who_may_record_an_update(client, request, portfolio, rag, persona, kind, item, allowed):
    client.force_login(request.getfixturevalue(persona))
    subject = portfolio[item]
    page = client.get(url(kind, subject))
    response = client.post(url(kind, subject), post_data(portfolio["programme"], level=rag["GREEN"]))
    if allowed:
        assert page.status_code == 200 and "Status by dimension" in page.content.decode()
        assert response.status_code == 302
        assert StatusUpdate.objects.filter(**{kind: subject}).count() == 1
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert not StatusUpdate.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, portfolio, rag):
    response = client.post(url("workstream", portfolio["ws_a"]), post_data(portfolio["programme"], level=rag["GREEN"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not StatusUpdate.objects.exists()


def test_edit_controls_show_only_where_the_user_may_record(client, portfolio, lead_a, viewer):
    client.force_login(lead_a)
    assert url("workstream", portfolio["ws_a"]) in client.get(portfolio["ws_a"].get_absolute_url()).content.decode()
    assert "Record update" not in client.get(portfolio["ws_b"].get_absolute_url()).content.decode()
    assert "Record update" not in client.get(portfolio["programme"].get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert "Record update" not in client.get(portfolio["ws_a"].get_absolute_url()).content.decode()


def test_the_form_shows_last_period_and_prefills_the_narrative(client, portfolio, pmo, rag):
    overall = portfolio["programme"].dimensions.get(code="overall")
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 4, 14),
        ratings=[RatingInput(overall, rag["AMBER"], "IT slippage")],
        next_steps="Readjust the timescales",
        by=pmo,
    )
    client.force_login(pmo)
    html = client.get(url("workstream", portfolio["ws_a"])).content.decode()
    assert has_badge(html, rag["AMBER"]) and "IT slippage" in html  # last period
    assert ">Readjust the timescales</textarea>" in html  # narrative carried forward
    for level in rag.values():
        assert level.definition in html


def test_recording_an_update_keeps_who_and_why(client, portfolio, lead_a, rag):
    client.force_login(lead_a)
    response = client.post(
        url("workstream", portfolio["ws_a"]),
        post_data(portfolio["programme"], level=rag["RED"], reason="IT team diverted to force priorities"),
        follow=True,
    )
    assert "Update recorded for Workstream A." in response.content.decode()
    update = StatusUpdate.objects.get()
    assert (update.author, update.ratings.get().level) == (lead_a, rag["RED"])
    history = update.history.get()
    assert (history.history_user, history.history_change_reason) == (lead_a, "IT team diverted to force priorities")


def test_red_without_a_reason_is_refused_next_to_the_field_and_input_is_kept(client, portfolio, pmo, rag):
    client.force_login(pmo)
    response = client.post(
        url("workstream", portfolio["ws_a"]), post_data(portfolio["programme"], level=rag["RED"], progress="Kept text")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A Red rating for Overall needs a reason." in html
    assert ">Kept text</textarea>" in html
    assert f'value="{rag["RED"].pk}" checked' in html
    assert not StatusUpdate.objects.exists()


def test_a_level_from_another_scale_is_refused(client, portfolio, pmo):
    client.force_login(pmo)
    dca_red = StatusLevel.objects.get(scale__code="dca", code="R")
    response = client.post(
        url("workstream", portfolio["ws_a"]), post_data(portfolio["programme"], level=dca_red, reason="x")
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_an_update_with_no_rating_is_refused(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(url("workstream", portfolio["ws_a"]), post_data(portfolio["programme"], level=None))
    assert response.status_code == 400
    assert "Rate at least one dimension." in response.content.decode()


def test_the_form_starts_from_last_periods_levels(client, pmo, portfolio, rag):
    dims = {d.code: d for d in services.dimensions_for(portfolio["ws_a"])}
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 5, 1),
        ratings=[RatingInput(dims["overall"], rag["AMBER"], "Late")],
        by=pmo,
    )
    client.force_login(pmo)
    html = client.get(url("workstream", portfolio["ws_a"])).content.decode()
    assert f'id="id_rating_overall_{rag["AMBER"].pk}" value="{rag["AMBER"].pk}" checked' in html
    assert 'id="id_rating_overall_none" value="" checked' not in html


def test_record_and_next_goes_to_the_next_item_the_lead_owes_then_back_when_none_is_left(
    client, lead_a, portfolio, rag
):
    client.force_login(lead_a)
    response = client.post(
        url("workstream", portfolio["ws_a"]),
        post_data(portfolio["programme"], level=rag["GREEN"], as_of=date.today().isoformat(), then="next"),
    )
    assert response["Location"] == url("project", portfolio["project_a"])
    response = client.post(
        url("project", portfolio["project_a"]),
        post_data(portfolio["programme"], level=rag["GREEN"], as_of=date.today().isoformat(), then="next"),
    )
    assert response["Location"] == portfolio["project_a"].get_absolute_url()
    assert StatusUpdate.objects.count() == 2
