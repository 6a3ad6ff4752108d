"""Correcting a submitted update edits that period, with a reason, rather than adding a new period."""

from datetime import date

import pytest
from django.urls import reverse

from workstreams import services
from workstreams.models import StatusRating, StatusUpdate
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(portfolio, lead_a, rag):
    return services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 6, 1),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["AMBER"], "IT slippage")],
        progress="Typo in here",
        by=lead_a,
    )


def correct_url(update):
    return reverse("workstreams:update_correct", args=[update.pk])


def data(rag, **overrides):
    return {
        "as_of": "2022-06-01",
        "rating_overall": rag["RED"].pk,
        "reason_overall": "IT team diverted",
        "progress": "Corrected text",
        "correction_reason": "The board agreed Red, not Amber",
        **overrides,
    }


@pytest.mark.parametrize(
    ("persona", "allowed"), [("pmo", True), ("lead_a", True), ("lead_b", False), ("viewer", False)]
)
def test_who_may_correct_an_update(client, request, update, rag, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    get, post = client.get(correct_url(update)), client.post(correct_url(update), data(rag))
    assert (get.status_code, post.status_code) == ((200, 302) if allowed else (403, 403))
    assert StatusRating.objects.get(update=update).level == (rag["RED"] if allowed else rag["AMBER"])


def test_a_correction_edits_the_period_and_keeps_what_it_said_before(client, update, pmo, rag):
    client.force_login(pmo)
    form = client.get(correct_url(update)).content.decode()
    assert ">Typo in here</textarea>" in form and f'value="{rag["AMBER"].pk}" checked' in form
    client.post(correct_url(update), data(rag))
    assert StatusUpdate.objects.count() == 1
    update.refresh_from_db()
    assert update.progress == "Corrected text"
    rating = StatusRating.objects.get(update=update)
    latest, before = rating.history.all()[:2]
    assert (latest.level_id, latest.history_user, latest.history_change_reason) == (
        rag["RED"].pk,
        pmo,
        "The board agreed Red, not Amber",
    )
    assert before.level_id == rag["AMBER"].pk
    assert update.history.first().history_change_reason == "The board agreed Red, not Amber"


def test_a_correction_without_a_reason_is_refused(client, update, pmo, rag):
    client.force_login(pmo)
    response = client.post(correct_url(update), data(rag, correction_reason=""))
    assert response.status_code == 400
    assert StatusRating.objects.get(update=update).level == rag["AMBER"]


def test_a_correction_to_red_without_a_reason_is_refused_and_nothing_changes(client, update, pmo, rag):
    client.force_login(pmo)
    response = client.post(correct_url(update), data(rag, reason_overall=""))
    assert response.status_code == 400
    assert "A Red rating for Overall needs a reason." in response.content.decode()
    update.refresh_from_db()
    assert update.progress == "Typo in here"
