"""Portfolio structure rules: dates, closure, moves and re-plans keep their history and refuse nonsense."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_programme, make_workstream
from workstreams import services
from workstreams.models import Lifecycle, Project

pytestmark = pytest.mark.django_db


def test_a_closed_on_date_before_the_start_date_is_refused_and_nothing_is_saved(portfolio, pmo):
    ws = portfolio["ws_a"]
    ws.start_date = date(2022, 1, 1)
    ws.save()
    with pytest.raises(ValidationError) as caught:
        services.item_close(item=ws, closed_on=date(2021, 12, 31), closure_note="Done", by=pmo, reason="Closing")
    assert caught.value.message_dict["closed_on"] == ["The closed-on date cannot be before the start date."]
    ws.refresh_from_db()
    assert ws.lifecycle == Lifecycle.ACTIVE
    assert ws.history.count() == 2  # created, start date set; no closure row


def test_a_project_moves_within_its_programme_and_the_move_is_history(portfolio, pmo):
    project = portfolio["project_a"]
    services.project_move(project=project, to=portfolio["ws_b"], by=pmo, reason="Regrouped after review")
    latest = project.history.first()
    assert (latest.workstream_id, latest.history_user, latest.history_change_reason) == (
        portfolio["ws_b"].pk,
        pmo,
        "Regrouped after review",
    )
    assert project.history.last().workstream_id == portfolio["ws_a"].pk
    assert Project.objects.filter(name="Project A").count() == 1


def test_a_move_into_a_closed_workstream_is_refused(portfolio, pmo):
    services.item_close(
        item=portfolio["ws_b"], closed_on=date(2022, 5, 31), closure_note="Delivered", by=pmo, reason="Closed"
    )
    with pytest.raises(ValidationError) as caught:
        services.project_move(project=portfolio["project_a"], to=portfolio["ws_b"], by=pmo, reason="Move")
    assert "Workstream B is closed; choose an open workstream." in caught.value.messages
    portfolio["project_a"].refresh_from_db()
    assert portfolio["project_a"].workstream == portfolio["ws_a"]


def test_a_move_to_another_programme_is_refused(portfolio, pmo):
    elsewhere = make_workstream(make_programme(by=pmo), by=pmo)
    with pytest.raises(ValidationError):
        services.project_move(project=portfolio["project_a"], to=elsewhere, by=pmo, reason="Move")


def test_a_replan_keeps_the_baseline_so_the_slip_shows(portfolio, pmo):
    project = portfolio["project_a"]
    project.forecast_end_date = project.baseline_end_date = date(2022, 3, 31)
    project.save()
    services.item_replan(item=project, forecast_end_date=date(2022, 6, 30), by=pmo, reason="IT capacity")
    project.refresh_from_db()
    assert project.baseline_end_date == date(2022, 3, 31)
    assert project.slipped_days == 91


def test_every_governed_change_needs_a_reason(portfolio, pmo):
    with pytest.raises(ValidationError) as caught:
        services.project_move(project=portfolio["project_a"], to=portfolio["ws_b"], by=pmo, reason=" ")
    assert caught.value.message_dict == {"reason": ["Say why this change is being made; it is kept in the history."]}


def test_a_new_programme_takes_the_default_dimensions(pmo):
    programme = make_programme(by=pmo)
    assert list(programme.dimensions.values_list("name", flat=True)) == [
        "Overall",
        "Schedule",
        "Funding",
        "Resources",
        "Risk",
        "Scope",
        "Benefits",
    ]
