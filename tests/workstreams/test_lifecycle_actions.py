"""Closing, deprioritising, reopening, re-planning and moving: who may, what is kept, what is refused."""

from datetime import date

import pytest
from django.urls import reverse

from workstreams import services
from workstreams.models import Lifecycle, Project, Workstream

pytestmark = pytest.mark.django_db


def action_url(kind, item, action):
    return reverse(f"workstreams:{kind}_action", args=[item.pk, action])


VALID = {
    "close": {"closed_on": "2022-05-31", "closure_note": "Deliverables completed", "reason": "Review closed it"},
    "deprioritise": {"reason": "Not affordable this year"},
    "replan": {"forecast_end_date": "2022-09-30", "reason": "IT capacity"},
}


@pytest.mark.parametrize("action", ["close", "deprioritise", "replan"])
@pytest.mark.parametrize(
    ("persona", "kind", "item", "allowed"),
    [
        ("pmo", "workstream", "ws_b", True),
        ("pmo", "project", "project_b", True),
        ("lead_a", "workstream", "ws_a", True),
        ("lead_a", "project", "project_a", True),
        ("lead_a", "workstream", "ws_b", False),
        ("lead_b", "project", "project_a", False),
        ("viewer", "workstream", "ws_a", False),
        ("no_role", "project", "project_a", False),
    ],
)
def test_who_may_change_an_items_lifecycle(client, request, portfolio, persona, kind, item, allowed, action):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    target = portfolio[item]
    url = action_url(kind, target, action)
    get, post = client.get(url), client.post(url, VALID[action])
    target.refresh_from_db()
    latest = target.history.first()
    if allowed:
        assert (get.status_code, post.status_code) == (200, 302)
        assert (latest.history_user, latest.history_change_reason) == (user, VALID[action]["reason"])
    else:
        assert (get.status_code, post.status_code) == (403, 403)
        assert latest.history_change_reason == "Test set-up"
        assert target.lifecycle == Lifecycle.ACTIVE and target.forecast_end_date is None


def test_anonymous_visitors_cannot_act(client, portfolio):
    response = client.post(action_url("workstream", portfolio["ws_a"], "close"), VALID["close"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    portfolio["ws_a"].refresh_from_db()
    assert portfolio["ws_a"].lifecycle == Lifecycle.ACTIVE


def test_closing_records_the_note_embedding_owner_and_date(client, portfolio, pmo):
    client.force_login(pmo)
    client.post(
        action_url("workstream", portfolio["ws_a"], "close"),
        {**VALID["close"], "embedding_owner": "Force IOM Working Group chaired by Head of CID"},
    )
    ws = Workstream.objects.get(pk=portfolio["ws_a"].pk)
    assert (ws.lifecycle, ws.closed_on, ws.embedding_owner) == (
        Lifecycle.CLOSED,
        date(2022, 5, 31),
        "Force IOM Working Group chaired by Head of CID",
    )
    page = client.get(ws.get_absolute_url()).content.decode()
    assert "Reopen" in page and "Deliverables completed" in page


def test_a_closed_on_date_before_the_start_is_refused_next_to_the_field(client, portfolio, pmo):
    ws = portfolio["ws_a"]
    services.item_set_lifecycle(
        item=ws, lifecycle=Lifecycle.ACTIVE, start_date=date(2022, 1, 1), by=pmo, reason="Dates"
    )
    client.force_login(pmo)
    response = client.post(action_url("workstream", ws, "close"), {**VALID["close"], "closed_on": "2021-12-31"})
    assert response.status_code == 400
    assert "The closed-on date cannot be before the start date." in response.content.decode()
    ws.refresh_from_db()
    assert ws.lifecycle == Lifecycle.ACTIVE


def test_reopen_brings_a_closed_workstream_back_and_keeps_its_closure_in_history(client, portfolio, pmo):
    services.item_close(
        item=portfolio["ws_a"], closed_on=date(2022, 5, 31), closure_note="Done", by=pmo, reason="Closed"
    )
    client.force_login(pmo)
    client.post(action_url("workstream", portfolio["ws_a"], "reopen"), {"reason": "New requirement from HMICFRS"})
    ws = Workstream.objects.get(pk=portfolio["ws_a"].pk)
    assert (ws.lifecycle, ws.closed_on) == (Lifecycle.ACTIVE, None)
    assert ws.history.filter(lifecycle=Lifecycle.CLOSED, closed_on=date(2022, 5, 31)).exists()


def test_a_replan_keeps_the_baseline_and_shows_the_slip(client, portfolio, pmo):
    project = portfolio["project_a"]
    services.item_replan(item=project, forecast_end_date=date(2022, 6, 30), by=pmo, reason="First plan")
    client.force_login(pmo)
    client.post(action_url("project", project, "replan"), VALID["replan"])
    project.refresh_from_db()
    assert (project.forecast_end_date, project.slipped_days) == (date(2022, 9, 30), 92)
    assert "92 days past baseline" in client.get(project.get_absolute_url()).content.decode()


def test_only_the_programme_office_moves_projects(client, portfolio, pmo, lead_a):
    url = action_url("project", portfolio["project_a"], "move")
    client.force_login(lead_a)
    assert client.post(url, {"workstream": portfolio["ws_b"].pk, "reason": "x"}).status_code == 403
    assert "Move</a>" not in client.get(portfolio["project_a"].get_absolute_url()).content.decode()
    client.force_login(pmo)
    assert client.post(url, {"workstream": portfolio["ws_b"].pk, "reason": "Regrouped"}).status_code == 302
    assert Project.objects.get(pk=portfolio["project_a"].pk).workstream == portfolio["ws_b"]


def test_a_move_into_a_closed_workstream_is_refused_with_a_clear_message(client, portfolio, pmo):
    services.item_close(
        item=portfolio["ws_b"], closed_on=date(2022, 5, 31), closure_note="Done", by=pmo, reason="Closed"
    )
    client.force_login(pmo)
    url = action_url("project", portfolio["project_a"], "move")
    assert "Workstream B (closed)" in client.get(url).content.decode()
    response = client.post(url, {"workstream": portfolio["ws_b"].pk, "reason": "Regroup"})
    assert response.status_code == 400
    assert "Workstream B is closed; choose an open workstream." in response.content.decode()
    assert Project.objects.get(pk=portfolio["project_a"].pk).workstream == portfolio["ws_a"]


def test_an_unknown_action_is_not_found(client, portfolio, pmo):
    client.force_login(pmo)
    assert client.get(f"/workstreams/{portfolio['ws_a'].pk}/move/").status_code == 404
    assert client.get(f"/projects/{portfolio['project_a'].pk}/explode/").status_code == 404


def test_two_sessions_replanning_the_same_workstream_do_not_lose_an_update(client, portfolio, pmo, lead_a):
    from django.test import Client

    ws = portfolio["ws_a"]
    first, second = Client(), Client()
    first.force_login(pmo)
    second.force_login(lead_a)
    url = action_url("workstream", ws, "replan")
    seen_first = first.get(url).context["form"]["seen_version"].value()
    seen_second = second.get(url).context["form"]["seen_version"].value()
    assert seen_first == seen_second

    saved = first.post(
        url, {"forecast_end_date": "2022-07-31", "reason": "FCB agreed July", "seen_version": seen_first}
    )
    assert saved.status_code == 302
    refused = second.post(url, {"forecast_end_date": "2022-12-31", "reason": "My view", "seen_version": seen_second})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f"{pmo.get_full_name()} changed Workstream A at" in html
    assert "(FCB agreed July)" in html
    assert "Forecast end date: (empty) → 31 Jul 2022" in html
    assert 'value="2022-12-31"' in html and "My view" in html  # the second person's input is kept

    ws.refresh_from_db()
    assert ws.forecast_end_date == date(2022, 7, 31)  # the first change is intact

    resubmit = second.post(
        url,
        {
            "forecast_end_date": "2022-12-31",
            "reason": "Still my view",
            "seen_version": refused.context["form"]["seen_version"].value(),
        },
    )
    assert resubmit.status_code == 302
    ws.refresh_from_db()
    assert (ws.forecast_end_date, ws.baseline_end_date) == (date(2022, 12, 31), date(2022, 7, 31))
