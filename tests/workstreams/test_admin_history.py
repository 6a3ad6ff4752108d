"""A superuser's edits through the admin keep who and why, and bad ratings are refused there too."""

from datetime import date

import pytest

from workstreams import services
from workstreams.models import StatusLevel, StatusRating, StatusUpdate
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def amber_update(portfolio, pmo, rag):
    overall = portfolio["programme"].dimensions.get(code="overall")
    return services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 4, 14),
        ratings=[RatingInput(overall, rag["AMBER"], "IT slippage")],
        by=pmo,
    )


def admin_post_data(update, *, level, rating_reason, change_reason, update_reason=""):
    rating = update.ratings.get()
    return {
        "workstream": update.workstream_id,
        "as_of": "14/04/2022",
        "reason": update_reason,
        "progress": "",
        "next_steps": "",
        "issues": "",
        "decisions_needed": "",
        "author": update.author_id,
        "change_reason": change_reason,
        "ratings-TOTAL_FORMS": "1",
        "ratings-INITIAL_FORMS": "1",
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "1000",
        "ratings-0-id": rating.pk,
        "ratings-0-update": update.pk,
        "ratings-0-dimension": rating.dimension_id,
        "ratings-0-level": level.pk,
        "ratings-0-reason": rating_reason,
        "_save": "Save",
    }


def test_a_status_change_through_the_admin_keeps_the_user_and_reason(client, superuser, amber_update, rag):
    client.force_login(superuser)
    response = client.post(
        f"/admin/workstreams/statusupdate/{amber_update.pk}/change/",
        admin_post_data(
            amber_update,
            level=rag["RED"],
            rating_reason="No IT capacity",
            change_reason="Escalated at the April board",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rating = StatusRating.objects.get(update=amber_update)
    assert rating.level == rag["RED"]
    latest = rating.history.first()
    assert (latest.level_id, latest.history_user, latest.history_change_reason) == (
        rag["RED"].pk,
        superuser,
        "Escalated at the April board",
    )
    assert rating.history.last().level_id == rag["AMBER"].pk

    history_page = client.get(f"/admin/workstreams/statusrating/{rating.pk}/history/")
    assert "Escalated at the April board" in history_page.content.decode()


def test_the_admin_refuses_a_red_without_a_reason_and_saves_nothing(client, superuser, amber_update, rag):
    client.force_login(superuser)
    response = client.post(
        f"/admin/workstreams/statusupdate/{amber_update.pk}/change/",
        admin_post_data(amber_update, level=rag["RED"], rating_reason="", change_reason="Escalate"),
    )
    assert response.status_code == 200
    assert "A Red rating needs a reason." in response.content.decode()
    assert StatusRating.objects.get(update=amber_update).level == rag["AMBER"]


def test_the_admin_refuses_a_level_from_another_scale(client, superuser, amber_update):
    client.force_login(superuser)
    dca_red = StatusLevel.objects.get(scale__code="dca", code="R")
    response = client.post(
        f"/admin/workstreams/statusupdate/{amber_update.pk}/change/",
        admin_post_data(amber_update, level=dca_red, rating_reason="why", change_reason="Escalate"),
    )
    assert response.status_code == 200
    assert (
        "Red is on the Delivery Confidence Assessment (five-point) scale; Overall is rated on the RAG scale on 14 Apr 2022."
        in (response.content.decode())
    )
    assert StatusUpdate.objects.get().ratings.get().level.scale.code == "rag"


def test_the_admin_requires_a_change_reason(client, superuser, amber_update, rag):
    client.force_login(superuser)
    response = client.post(
        f"/admin/workstreams/statusupdate/{amber_update.pk}/change/",
        admin_post_data(amber_update, level=rag["GREEN"], rating_reason="", change_reason=""),
    )
    assert response.status_code == 200
    assert StatusRating.objects.get(update=amber_update).level == rag["AMBER"]
