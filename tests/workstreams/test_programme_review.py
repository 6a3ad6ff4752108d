"""A programme review restructures the programme in one audited step, or not at all."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_project, make_workstream
from workstreams import services
from workstreams.models import Lifecycle, ProgrammeReview, Project, Workstream
from workstreams.services import Closure, NewWorkstream

pytestmark = pytest.mark.django_db


def test_a_review_opens_moves_and_closes_with_one_reason(portfolio, pmo):
    review = services.programme_review(
        programme=portfolio["programme"],
        held_on=date(2022, 5, 31),
        reason="Regrouped to remove overlap between workstreams",
        by=pmo,
        open=[NewWorkstream("Public Contact & Engagement"), NewWorkstream("Enabling Services")],
        moves=[(portfolio["project_a"], 0)],
        close=[Closure(portfolio["ws_a"], "All deliverables completed", "Head of CID")],
    )
    pce = Workstream.objects.get(name="Public Contact & Engagement")
    assert Project.objects.get(pk=portfolio["project_a"].pk).workstream == pce
    ws_a = Workstream.objects.get(pk=portfolio["ws_a"].pk)
    assert (ws_a.lifecycle, ws_a.closed_on, ws_a.embedding_owner) == (
        Lifecycle.CLOSED,
        date(2022, 5, 31),
        "Head of CID",
    )
    reasons = {
        pce.history.first().history_change_reason,
        ws_a.history.first().history_change_reason,
        portfolio["project_a"].history.first().history_change_reason,
        review.history.first().history_change_reason,
    }
    assert reasons == {"Regrouped to remove overlap between workstreams"}
    assert review.summary.splitlines() == [
        "Opened Public Contact & Engagement.",
        "Opened Enabling Services.",
        "Moved Project A from Workstream A to Public Contact & Engagement.",
        "Closed Workstream A.",
    ]


def test_a_review_that_would_strand_open_projects_saves_nothing(portfolio, pmo):
    before = (Workstream.history.count(), Project.history.count(), ProgrammeReview.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.programme_review(
            programme=portfolio["programme"],
            held_on=date(2022, 5, 31),
            reason="Regroup",
            by=pmo,
            open=[NewWorkstream("New stream")],
            close=[Closure(portfolio["ws_a"], "Done")],
        )
    assert "Workstream A still has open projects (Project A); move or close them." in caught.value.messages
    assert (Workstream.history.count(), Project.history.count(), ProgrammeReview.objects.count()) == before
    assert not Workstream.objects.filter(name="New stream").exists()


def test_a_review_refuses_moves_into_a_workstream_it_closes_and_duplicate_names(portfolio, pmo):
    other = make_workstream(portfolio["programme"], by=pmo, name="Other")
    make_project(other, by=pmo)
    with pytest.raises(ValidationError) as caught:
        services.programme_review(
            programme=portfolio["programme"],
            held_on=date(2022, 5, 31),
            reason="Regroup",
            by=pmo,
            open=[NewWorkstream("Workstream B")],
            moves=[(portfolio["project_a"], portfolio["ws_b"])],
            close=[Closure(portfolio["ws_b"], "Done")],
        )
    messages = caught.value.messages
    assert "There is already a workstream called Workstream B." in messages
    assert "Project A cannot move into Workstream B, which is closed or closing in this review." in messages


def test_the_demo_review_is_made_by_the_review_service():
    from demo.portfolio import PROGRAMME_REVIEW, load_demo

    programme, _ = load_demo(password="x" * 16)
    review = programme.reviews.get()
    assert review.held_on == PROGRAMME_REVIEW
    assert "Closed Vulnerability (Prevention/Engagement & Missing)." in review.summary
    assert (
        "Moved Training and guidance for the use of Civil Orders from Integrated Offender Management to Frontline Knowledge Skills & Practice."
        in review.summary
    )


def review_url(programme):
    from django.urls import reverse

    return reverse("workstreams:review", args=[programme.pk])


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_programme_office_opens_the_review(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(review_url(portfolio["programme"])).status_code == status
    response = client.post(
        review_url(portfolio["programme"]), {"held_on": "2022-05-31", "reason": "x", "new_1": "Sneaky"}
    )
    assert response.status_code == (302 if status == 200 else 403)
    assert Workstream.objects.filter(name="Sneaky").exists() == (status == 200)


def test_a_review_through_the_form_opens_moves_and_closes(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        review_url(portfolio["programme"]),
        {
            "held_on": "2022-05-31",
            "reason": "Regrouped after the planning cycle",
            f"close_{portfolio['ws_a'].pk}": "on",
            f"note_{portfolio['ws_a'].pk}": "Deliverables completed",
            f"owner_{portfolio['ws_a'].pk}": "Head of CID",
            "new_1": "Public Contact & Engagement",
            f"move_{portfolio['project_a'].pk}": "new-1",
            f"move_{portfolio['project_b'].pk}": "",
        },
    )
    assert response.status_code == 302
    pce = Workstream.objects.get(name="Public Contact & Engagement")
    assert Project.objects.get(pk=portfolio["project_a"].pk).workstream == pce
    assert Workstream.objects.get(pk=portfolio["ws_a"].pk).lifecycle == Lifecycle.CLOSED
    assert ProgrammeReview.objects.get().performed_by == pmo


def test_a_refused_review_keeps_the_form_and_saves_nothing(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        review_url(portfolio["programme"]),
        {
            "held_on": "2022-05-31",
            "reason": "Regroup",
            f"close_{portfolio['ws_a'].pk}": "on",
            f"note_{portfolio['ws_a'].pk}": "Done",
            "new_2": "Kept name",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Workstream A still has open projects (Project A); move or close them." in html
    assert 'value="Kept name"' in html
    assert not Workstream.objects.filter(name="Kept name").exists()


def test_moving_to_an_unnamed_new_slot_is_refused_next_to_the_project(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        review_url(portfolio["programme"]),
        {"held_on": "2022-05-31", "reason": "Regroup", f"move_{portfolio['project_a'].pk}": "new-3"},
    )
    assert response.status_code == 400
    assert "New workstream 3 has no name." in response.content.decode()
