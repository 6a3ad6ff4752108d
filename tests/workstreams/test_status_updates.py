"""Recording status: the rules a rating must obey, and that a refused update leaves nothing behind."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from workstreams import services
from workstreams.models import StatusLevel, StatusRating, StatusUpdate
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def overall(programme):
    return programme.dimensions.get(code="overall")


def counts():
    return StatusUpdate.objects.count(), StatusRating.objects.count(), StatusUpdate.history.count()


def test_programme_office_records_a_red_status_with_its_reason_and_history(portfolio, pmo, rag):
    ws = portfolio["ws_a"]
    update = services.status_update_submit(
        subject=ws,
        as_of=date(2022, 4, 14),
        ratings=[RatingInput(overall(portfolio["programme"]), rag["RED"], "Lack of IT and HR capacity")],
        by=pmo,
        reason="",
    )
    rating = update.ratings.get()
    assert (rating.level.label, rating.explanation) == ("Red", "Lack of IT and HR capacity")
    history = rating.history.get()
    assert history.history_user == pmo
    assert update.history.get().history_user == pmo


@pytest.mark.parametrize("code", ["RED", "AMBER"])
def test_red_or_amber_without_a_reason_is_refused_and_nothing_is_saved(portfolio, pmo, rag, code):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.status_update_submit(
            subject=portfolio["ws_a"],
            as_of=date(2022, 4, 14),
            ratings=[RatingInput(overall(portfolio["programme"]), rag[code], "  ")],
            by=pmo,
        )
    article = "An" if code == "AMBER" else "A"
    assert caught.value.message_dict == {
        "rating_overall": [f"{article} {rag[code].label} rating for Overall needs a reason."]
    }
    assert counts() == before


def test_the_updates_reason_serves_every_rating_that_has_none(portfolio, pmo, rag):
    update = services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 4, 14),
        ratings=[RatingInput(overall(portfolio["programme"]), rag["AMBER"])],
        by=pmo,
        reason="Slippage in implementing the technology requirements",
    )
    assert update.ratings.get().explanation == "Slippage in implementing the technology requirements"


def test_a_level_from_another_scale_is_refused_and_nothing_is_saved(portfolio, pmo):
    amber_red = StatusLevel.objects.get(scale__code="dca", code="AR")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.status_update_submit(
            subject=portfolio["ws_a"],
            as_of=date(2022, 4, 14),
            ratings=[RatingInput(overall(portfolio["programme"]), amber_red, "Doubtful")],
            by=pmo,
        )
    assert "is not a level of the RAG scale that Overall used on" in caught.value.message_dict["rating_overall"][0]
    assert counts() == before


def test_a_dimension_of_another_programme_is_refused(portfolio, pmo, rag):
    from tests.factories import make_programme

    other = make_programme(by=pmo)
    with pytest.raises(ValidationError) as caught:
        services.status_update_submit(
            subject=portfolio["ws_a"],
            as_of=date(2022, 4, 14),
            ratings=[RatingInput(overall(other), rag["GREEN"])],
            by=pmo,
        )
    assert "is not reported for Workstream A" in caught.value.message_dict["rating_overall"][0]


def test_a_status_for_a_future_date_is_refused(portfolio, pmo, rag):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.status_update_submit(
            subject=portfolio["ws_a"],
            as_of=tomorrow,
            ratings=[RatingInput(overall(portfolio["programme"]), rag["GREEN"])],
            by=pmo,
        )
    assert caught.value.message_dict == {"as_of": ["A status cannot be recorded for a date in the future."]}


def test_the_database_refuses_an_update_for_two_subjects_at_once(portfolio, pmo):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            workstream=portfolio["ws_a"], project=portfolio["project_a"], as_of=date(2022, 4, 14), author=pmo
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(as_of=date(2022, 4, 14), author=pmo)


def test_validation_names_the_exactly_one_subject_rule(portfolio, pmo):
    update = StatusUpdate(workstream=portfolio["ws_a"], project=portfolio["project_a"], as_of=date(2022, 4, 14))
    with pytest.raises(ValidationError) as caught:
        update.full_clean()
    assert "A status update is for exactly one programme, workstream or project." in caught.value.messages


def test_the_current_status_is_the_latest_update(portfolio, pmo, rag):
    from demo.portfolio import at
    from workstreams.selectors import programme_overview

    dim = overall(portfolio["programme"])
    ws = services.workstream_create(
        programme=portfolio["programme"], name="Since 2022", by=pmo, reason="Set-up", when=at(date(2022, 1, 1))
    )
    for day, code in [(date(2022, 4, 14), "GREEN"), (date(2022, 6, 1), "RED"), (date(2022, 5, 1), "AMBER")]:
        services.status_update_submit(subject=ws, as_of=day, ratings=[RatingInput(dim, rag[code], "why")], by=pmo)
    overview = programme_overview(portfolio["programme"])
    row = next(w for w in overview.workstreams if w.item == ws)
    assert row.update.as_of == date(2022, 6, 1)
    assert row.cells[0].rating.level.code == "RED"
    as_at_may = programme_overview(portfolio["programme"], as_of=date(2022, 5, 15))
    row = next(w for w in as_at_may.workstreams if w.item == ws)
    assert row.cells[0].rating.level.code == "AMBER"
    later = services.workstream_create(programme=portfolio["programme"], name="Added today", by=pmo, reason="New")
    assert later not in [w.item for w in as_at_may.workstreams]  # on record only from today
