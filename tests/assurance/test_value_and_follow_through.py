"""Benefits measured over time, embedding after closure, and the decisions log, each with who and why."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assurance import services
from assurance.models import Benefit, BenefitMeasurement, Decision, EmbeddingAction
from assurance.selectors import programme_benefits
from workstreams.models import StatusUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def benefit(portfolio, pmo):
    return services.item_record_save(
        record=Benefit(
            title="Officer hours released",
            kind="hours",
            unit="hours",
            owner_name="Head of Response",
            baseline=0,
            baseline_on=date(2022, 4, 1),
            target=2000,
            target_on=date(2023, 3, 31),
        ),
        item=portfolio["ws_a"],
        by=pmo,
        reason="Planned in the case",
    )


def test_the_lead_measures_a_benefit_and_the_view_shows_planned_against_realised(client, benefit, lead_a, viewer):
    client.force_login(lead_a)
    response = client.post(
        reverse("assurance:benefit_measure", args=[benefit.pk]),
        {"measured_on": "2022-09-30", "value": "500", "note": "Half year", "reason": "Quarterly measure"},
    )
    assert response.status_code == 302
    measurement = BenefitMeasurement.objects.get()
    assert (measurement.recorded_by, measurement.history.get().history_change_reason) == (lead_a, "Quarterly measure")
    client.force_login(viewer)
    page = client.get(reverse("assurance:benefits", args=[benefit.workstream.programme_id])).content.decode()
    assert "25 %" in page and 'role="img"' in page and "Officer hours released: 25 % of the planned change" in page


def test_a_lead_cannot_measure_another_leads_benefit(client, benefit, lead_b):
    client.force_login(lead_b)
    response = client.post(
        reverse("assurance:benefit_measure", args=[benefit.pk]),
        {"measured_on": "2022-09-30", "value": "9", "reason": "x"},
    )
    assert response.status_code == 403
    assert not BenefitMeasurement.objects.exists()


def test_realised_is_measured_from_the_baseline_to_the_target(benefit, pmo):
    for day, value in [(date(2022, 6, 30), 300), (date(2022, 9, 30), 1500)]:
        services.item_record_save(
            record=BenefitMeasurement(benefit=benefit, measured_on=day, value=value), by=pmo, reason="Measured"
        )
    row = programme_benefits(benefit.workstream.programme)[0]
    assert (row.latest.value, row.realised_percent) == (Decimal(1500), 75)
    as_at_june = programme_benefits(benefit.workstream.programme, as_of=date(2022, 7, 1))[0]
    assert as_at_june.realised_percent == 15


def test_a_benefits_target_must_follow_its_baseline(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:benefit_create", args=[portfolio["programme"].pk]),
        {
            "item": f"w{portfolio['ws_a'].pk}",
            "title": "Backwards",
            "kind": "cashable",
            "unit": "£",
            "owner_name": "Finance",
            "baseline": "0",
            "baseline_on": "2023-01-01",
            "target": "10",
            "target_on": "2022-01-01",
            "reason": "Try",
        },
    )
    assert response.status_code == 400
    assert "The target date comes after the baseline date." in response.content.decode()
    assert not Benefit.objects.exists()


def test_a_lead_keeps_the_embedding_actions_of_their_own_work(client, portfolio, lead_a, pmo):
    client.force_login(lead_a)
    create = reverse("assurance:embedding_create", args=[portfolio["programme"].pk])
    page = client.get(create).content.decode()
    assert "Workstream A" in page and "Workstream B" not in page  # only their own work is offered
    response = client.post(
        create,
        {
            "item": f"w{portfolio['ws_a'].pk}",
            "description": "Embed the harm index in tasking",
            "owner_name": "IOM Working Group",
            "due_on": "2022-06-30",
            "status": "open",
            "reason": "Handover at closure",
        },
    )
    assert response.status_code == 302
    action = EmbeddingAction.objects.get()
    response = client.post(
        reverse("assurance:embedding_edit", args=[action.pk]),
        {
            "item": f"w{portfolio['ws_a'].pk}",
            "description": action.description,
            "owner_name": action.owner_name,
            "due_on": "2022-06-30",
            "status": "done",
            "reason": "Embedded",
        },
    )
    assert response.status_code == 400 and "Say when it was embedded." in response.content.decode()
    assert EmbeddingAction.objects.get().status == "open"


def test_the_decisions_log_offers_what_status_updates_asked_for(client, portfolio, pmo):
    update = StatusUpdate.objects.create(
        workstream=portfolio["ws_a"], as_of=date(2022, 6, 1), decisions_needed="Approve extra IT resource", author=pmo
    )
    client.force_login(pmo)
    page = client.get(reverse("assurance:decisions", args=[portfolio["programme"].pk])).content.decode()
    assert "Approve extra IT resource" in page and f"?update={update.pk}" in page
    response = client.post(
        reverse("assurance:decision_create", args=[portfolio["programme"].pk]) + f"?update={update.pk}",
        {
            "title": "Approve extra IT resource",
            "status": "needed",
            "needed_by": "2022-06-30",
            "reason": "From the update",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.update == update
    page = client.get(reverse("assurance:decisions", args=[portfolio["programme"].pk])).content.decode()
    assert f"?update={update.pk}" not in page  # logged, so no longer offered


def test_a_decision_made_has_its_date(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(
        reverse("assurance:decision_create", args=[portfolio["programme"].pk]),
        {"title": "Approve", "status": "made", "reason": "Board met"},
    )
    assert response.status_code == 400
    assert "A decision made has the date it was made." in response.content.decode()


@pytest.mark.parametrize("asked", ["not-a-number", "999999"])
def test_logging_a_decision_from_an_unknown_update_is_not_found(client, portfolio, pmo, asked):
    client.force_login(pmo)
    url = reverse("assurance:decision_create", args=[portfolio["programme"].pk]) + f"?update={asked}"
    assert client.get(url).status_code == 404


def test_every_governed_assurance_change_keeps_who_and_why(portfolio, pmo, lead_a):
    from assurance.models import BusinessCase, CaseDecision, Driver, DriverLink
    from reporting.models import Board

    driver = services.driver_save(
        driver=Driver(kind="audit", title="Audit recommendation", source="Internal audit"), by=pmo, reason="Audit"
    )
    link = services.driver_link(driver=driver, item=portfolio["ws_a"], by=pmo, reason="Workstream A answers it")
    case = services.case_create(programme=portfolio["programme"], title="Case", by=pmo, reason="Drafted for July")
    services.case_decide(case=case, outcome="submitted", on=date(2022, 7, 1), board=Board.objects.first(), by=pmo)
    action = services.item_record_save(
        record=EmbeddingAction(description="Embed", owner_name="Area", due_on=date(2022, 9, 1)),
        item=portfolio["ws_a"],
        by=lead_a,
        reason="Handed over at closure",
    )
    rows = [
        DriverLink.history.get(id=link.pk),
        BusinessCase.history.filter(id=case.pk).order_by("history_id").first(),
        CaseDecision.history.get(case_id=case.pk),
        EmbeddingAction.history.get(id=action.pk),
    ]
    assert [(r.history_user, r.history_change_reason) for r in rows] == [
        (pmo, "Workstream A answers it"),
        (pmo, "Drafted for July"),
        (pmo, "Submitted on 1 Jul 2022"),
        (lead_a, "Handed over at closure"),
    ]
