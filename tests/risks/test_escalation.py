"""Escalation: a lower-level risk proposed for the register above, accepted and linked, or returned."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from risks import services
from risks.models import Escalation, Register, Risk, RiskScheme
from risks.services import Scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_risk(portfolio, pmo):
    register = services.programme_register(portfolio["programme"], by=pmo)
    return services.risk_raise(
        register=register,
        title="Affordability",
        category=RiskScheme.objects.get(is_current=True).categories.get(code="operational"),
        scores=Scores((5, 5), (4, 4), (2, 2)),
        by=pmo,
        raised_on=date(2022, 4, 14),
    )


@pytest.fixture
def corporate_owner(db):
    from tests.factories import UserFactory

    owner = UserFactory(username="corporate-owner", first_name="Corporate", last_name="Owner", role="Viewer")
    register = services.corporate_register()
    register.owner = owner
    register.save()
    return owner


def test_the_scheme_suggests_escalating_a_red_programme_risk(programme_risk):
    assert services.escalation_suggested(programme_risk) == [
        "Current score 16 is 15 or more.",
        "Impact 4 in Operational / service delivery & public safety.",
    ]


def test_accepting_links_the_risk_and_it_stays_open_in_its_register(programme_risk, pmo, corporate_owner):
    escalation = services.escalation_propose(risk=programme_risk, reason="Outside programme tolerance", by=pmo)
    corporate = services.escalation_accept(
        escalation=escalation,
        by=corporate_owner,
        decision_reason="Force-wide exposure",
        new_title="Force transformation affordability",
    )
    programme_risk.refresh_from_db()
    assert programme_risk.status == "open" and programme_risk.register.level == "programme"
    assert programme_risk.contributes_to == corporate
    assert corporate.register.level == "corporate" and list(corporate.contributors.all()) == [programme_risk]
    latest = programme_risk.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        corporate_owner,
        f"Escalated to {corporate.reference}: Force-wide exposure",
    )
    assert Risk.objects.filter(title="Affordability").count() == 1  # linked, never copied


def test_returning_keeps_the_reason_and_allows_a_new_proposal(programme_risk, pmo, corporate_owner):
    escalation = services.escalation_propose(risk=programme_risk, reason="Please hold", by=pmo)
    services.escalation_return(escalation=escalation, by=corporate_owner, decision_reason="Manage it in the programme")
    escalation.refresh_from_db()
    assert (escalation.status, escalation.decision_reason) == ("returned", "Manage it in the programme")
    services.escalation_propose(risk=programme_risk, reason="It has grown", by=pmo)
    assert Escalation.objects.filter(status="proposed").count() == 1


def test_a_second_pending_escalation_is_refused(programme_risk, pmo):
    services.escalation_propose(risk=programme_risk, reason="Hold", by=pmo)
    with pytest.raises(ValidationError, match="already has an escalation waiting"):
        services.escalation_propose(risk=programme_risk, reason="Again", by=pmo)


def test_only_the_corporate_register_owner_decides_on_corporate_escalations(
    client, programme_risk, pmo, corporate_owner
):
    escalation = services.escalation_propose(risk=programme_risk, reason="Hold", by=pmo)
    url = reverse("risks:escalation_decide", args=[escalation.pk])
    client.force_login(pmo)
    assert client.get(url).status_code == 403
    client.force_login(corporate_owner)
    assert client.get(url).status_code == 200


def test_a_returned_escalation_without_a_reason_is_refused(programme_risk, pmo, corporate_owner):
    escalation = services.escalation_propose(risk=programme_risk, reason="Hold", by=pmo)
    with pytest.raises(ValidationError):
        services.escalation_return(escalation=escalation, by=corporate_owner, decision_reason=" ")


def test_the_demo_links_a_programme_risk_to_the_corporate_register():
    call_command("load_demo")
    corporate = Register.objects.get(level="corporate").risks.get()
    assert [r.title for r in corporate.contributors.all()] == ["Scale of change against affordability"]
    programme_risks = Risk.objects.filter(register__level="programme")
    assert programme_risks.count() == 5
    assert all(r.current_score >= 12 for r in programme_risks)  # consistent with Risk and Funding reporting Red


def test_a_new_corporate_risk_for_a_risk_scored_on_an_older_scheme_takes_the_same_category(
    programme_risk, pmo, corporate_owner
):
    services.scheme_new_version(scheme=programme_risk.scheme, by=pmo, reason="Recalibrate")
    escalation = services.escalation_propose(risk=programme_risk, reason="Hold", by=pmo)
    corporate = services.escalation_accept(
        escalation=escalation, by=corporate_owner, decision_reason="Accepted", new_title="Transformation delivery"
    )
    assert corporate.category.code == programme_risk.category.code == "operational"
    assert corporate.scheme.is_current and corporate.scheme != programme_risk.scheme
