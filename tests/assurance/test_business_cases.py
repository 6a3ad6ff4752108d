"""Business cases: a decision trail, frozen once approved, changed only by a new version that starts again."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assurance import services
from assurance.models import BusinessCase, CaseStatus, Decision
from reporting.models import Board

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive():
    return Board.objects.get(name="Executive")


@pytest.fixture
def case(portfolio, pmo):
    return services.case_create(
        programme=portfolio["programme"],
        title="Programme Business Case",
        by=pmo,
        reason="Scoping",
        workstreams=[portfolio["ws_a"]],
        funding=[("2022/23", "revenue", 250000), ("2022/23", "capital", 100000)],
        scope="Contact and enabling services",
    )


def approve(case, pmo, executive, outcome="approved", conditions=""):
    services.case_decide(case=case, outcome="submitted", on=date(2022, 7, 5), board=executive, by=pmo)
    services.case_decide(
        case=case, outcome=outcome, on=date(2022, 7, 20), by=pmo, by_name="Executive", conditions=conditions
    )
    case.refresh_from_db()
    return case


def test_the_office_drafts_a_case_with_funding_by_year_and_kind(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:case_create", args=[portfolio["programme"].pk]),
        {
            "title": "Programme Business Case",
            "workstreams": [portfolio["ws_a"].pk, portfolio["ws_b"].pk],
            "scope": "Everything",
            "funding": "2022/23, revenue, 250000\n2023/24, Capital, £100000",
            "reason": "For the July Executive",
        },
    )
    assert response.status_code == 302
    case = BusinessCase.objects.get()
    assert case.total_funding == 350000 and case.workstreams.count() == 2
    assert case.history.first().history_change_reason == "For the July Executive"


def test_a_bad_funding_line_is_refused_and_nothing_is_saved(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:case_create", args=[portfolio["programme"].pk]),
        {"title": "Case", "funding": "2022/23, revenue, lots", "reason": "Try"},
    )
    assert response.status_code == 400
    assert "is not a whole number of pounds" in response.content.decode()
    assert not BusinessCase.objects.exists()


def test_an_outcome_needs_a_submission_first(case, pmo):
    with pytest.raises(ValidationError, match="Record the submission"):
        services.case_decide(case=case, outcome="approved", on=date(2022, 7, 20), by=pmo)


def test_an_approved_case_cannot_be_edited_anywhere(client, case, pmo, executive):
    approve(case, pmo, executive)
    with pytest.raises(services.FrozenCase):
        services.case_update(case=case, changes={"scope": "More"}, by=pmo, reason="Change")
    client.force_login(pmo)
    url = reverse("assurance:case_edit", args=[case.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Changed", "reason": "Sneak"}).status_code == 403
    case.refresh_from_db()
    assert (case.title, case.scope, case.status) == (
        "Programme Business Case",
        "Contact and enabling services",
        "approved",
    )
    # The approval is logged as a decision made by the board it went to.
    logged = Decision.objects.get(case_decision__case=case)
    assert (logged.status, logged.board, logged.decided_on) == ("made", executive, date(2022, 7, 20))


def test_a_change_is_a_new_version_that_starts_unapproved(client, case, pmo, executive):
    approve(case, pmo, executive)
    client.force_login(pmo)
    response = client.post(reverse("assurance:case_new_version", args=[case.pk]), {"reason": "Scope reduced"})
    new = BusinessCase.objects.get(previous=case)
    assert response["Location"] == new.get_absolute_url()
    assert (new.version, new.status, new.scope, new.total_funding) == (2, "draft", case.scope, 350000)
    assert list(new.workstreams.all()) == list(case.workstreams.all())
    services.case_update(case=new, changes={"scope": "Contact only"}, by=pmo, reason="Reduced")
    approve(new, pmo, executive, outcome="conditional", conditions="Review in six months")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPERSEDED and case.scope == "Contact and enabling services"


def test_approval_with_conditions_states_them(case, pmo, executive):
    services.case_decide(case=case, outcome="submitted", on=date(2022, 7, 5), board=executive, by=pmo)
    with pytest.raises(ValidationError, match="states the conditions"):
        services.case_decide(case=case, outcome="conditional", on=date(2022, 7, 20), by=pmo)
    case.refresh_from_db()
    assert case.status == "submitted" and case.decisions.count() == 1


@pytest.mark.parametrize("persona", ["lead_a", "viewer"])
def test_only_the_programme_office_records_decisions(client, request, case, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("assurance:case_decide", args=[case.pk]), {"outcome": "submitted", "on": "2022-07-05"}
    )
    assert response.status_code == 403
    assert case.decisions.count() == 0


def test_the_case_page_shows_the_trail_and_the_history(client, case, pmo, viewer, executive):
    approve(case, pmo, executive)
    client.force_login(viewer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "5 Jul 2022: Submitted – Executive" in page and "20 Jul 2022: Approved" in page
    assert "cannot be changed" in page and "Edit</a>" not in page
    assert "£250,000" in page
