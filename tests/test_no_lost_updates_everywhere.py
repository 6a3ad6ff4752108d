"""No lost updates in every app: an edit form opened before someone else's change refuses to save over it, says
what they changed, keeps what was typed, and saves once the change has been seen (changeprog.concurrency)."""

from datetime import date

import pytest
from django.urls import reverse

from assurance import services as assurance_services
from assurance.models import Benefit, Driver
from reporting import services as report_services
from reporting.models import Board
from risks import services as risk_services
from risks.models import Risk, RiskScheme
from tests.factories import programme_office_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(db):
    return programme_office_user(username="colleague", first_name="Casey", last_name="Colleague")


def opened(client, url):
    """Open the edit page as the user would: the version it carries."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["seen_version"]


def refused_then_saved(client, url, data, seen):
    stale = client.post(url, {**data, "seen_version": seen})
    body = stale.content.decode()
    assert stale.status_code == 400
    assert "Casey Colleague changed" in body and "after you opened this form" in body
    assert stale.context["seen_version"] != seen  # the form now carries the version the user has seen
    saved = client.post(url, {**data, "seen_version": stale.context["seen_version"]})
    assert saved.status_code == 302


def test_a_risk_edit(client, pmo, colleague, portfolio):
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    risk = risk_services.risk_raise(
        register=register, title="IT capacity", category=category, scores=risk_services.Scores((4, 4), (3, 3), (1, 1)),
        workstream=portfolio["ws_a"], by=pmo,
    )  # fmt: skip
    client.force_login(pmo)
    url = reverse("risks:risk_edit", args=[risk.pk])
    seen = opened(client, url)
    risk_services.risk_update(risk=risk, changes={"title": "IT capacity and skills"}, by=colleague, reason="Wider")
    data = {
        "title": "IT capacity (mine)", "category": category.pk, "workstream": portfolio["ws_a"].pk, "response": "treat",
        "inherent_likelihood": 4, "inherent_impact": 4, "current_likelihood": 3, "current_impact": 3,
        "target_likelihood": 1, "target_impact": 1, "reason": "My wording",
    }  # fmt: skip
    stale = client.post(url, {**data, "seen_version": seen})
    assert stale.status_code == 400 and "Title: IT capacity → IT capacity and skills" in stale.content.decode()
    assert Risk.objects.get(pk=risk.pk).title == "IT capacity and skills"
    refused_then_saved(client, url, data, seen)
    assert Risk.objects.get(pk=risk.pk).title == "IT capacity (mine)"


def test_a_driver_edit(client, pmo, colleague):
    driver = assurance_services.driver_save(
        driver=Driver(kind="recommendation", title="Missing people", source="HMICFRS"), by=pmo, reason="From PEEL"
    )
    client.force_login(pmo)
    url = reverse("assurance:driver_edit", args=[driver.pk])
    seen = opened(client, url)
    driver.title = "Missing people reviews"
    assurance_services.driver_save(driver=driver, by=colleague, reason="Clearer")
    refused_then_saved(
        client, url, {"kind": "recommendation", "title": "Mine", "source": "HMICFRS", "reason": "Mine"}, seen
    )
    assert Driver.objects.get(pk=driver.pk).title == "Mine"


def test_a_benefit_edit(client, pmo, colleague, portfolio):
    benefit = assurance_services.item_record_save(
        record=Benefit(
            title="Hours released",
            kind="hours",
            unit="hours",
            owner_name="Head of Control Room",
            baseline=0,
            baseline_on=date(2022, 4, 1),
            target=100,
            target_on=date(2023, 3, 31),
        ),  # fmt: skip
        item=portfolio["ws_a"],
        by=pmo,
        reason="Planned",
    )
    client.force_login(pmo)
    url = reverse("assurance:benefit_edit", args=[benefit.pk])
    seen = opened(client, url)
    benefit.target = 200
    assurance_services.item_record_save(record=benefit, item=portfolio["ws_a"], by=colleague, reason="Doubled")
    form = client.get(url).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update({"title": "Hours released (mine)", "target": "150", "reason": "Mine"})
    refused_then_saved(client, url, data, seen)


def test_a_report_header_and_a_section(client, pmo, colleague, portfolio):
    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    client.force_login(pmo)
    url = reverse("reporting:report_edit", args=[report.pk])
    seen = opened(client, url)
    report_services.report_update(report=report, changes={"title": "Colleague's title"}, by=colleague, reason="Title")
    data = {
        "title": "My title", "meeting_date": "2022-06-01", "for_decision": report.for_decision,
        "addressed_to": "", "executive_officer": "", "officer_name": "", "reason": "Mine",
    }  # fmt: skip
    refused_then_saved(client, url, data, seen)
    section = report.sections.filter(kind="narrative").first()
    section_url = reverse("reporting:section_edit", args=[section.pk])
    seen = opened(client, section_url)
    report_services.report_section_update(section=section, text="Colleague's words", by=colleague)
    refused_then_saved(client, section_url, {"text": "My words"}, seen)
    section.refresh_from_db()
    assert section.text == "My words"


def _escalated_risk(portfolio, pmo):
    from risks.models import Register

    register = Register.objects.create(level="project", code="PA", name="Project A", project=portfolio["project_a"])
    category = RiskScheme.objects.get(is_current=True).categories.get(code="legal")
    return risk_services.risk_raise(
        register=register, title="Case file backlog", category=category,
        scores=risk_services.Scores((4, 4), (4, 4), (1, 1)), by=pmo,
    )  # fmt: skip


def test_an_escalation_two_people_decide_at_once_is_decided_once(pmo, colleague, portfolio):
    from django.core.exceptions import ValidationError

    from risks.models import Escalation

    risk = _escalated_risk(portfolio, pmo)
    proposed = risk_services.escalation_propose(risk=risk, reason="Score 16", by=pmo)
    mine, theirs = Escalation.objects.get(pk=proposed.pk), Escalation.objects.get(pk=proposed.pk)  # both pages open
    risk_services.escalation_accept(escalation=theirs, by=colleague, decision_reason="Agreed", new_title="Backlog")
    with pytest.raises(ValidationError, match="already been accepted by Casey Colleague; nothing was changed"):
        risk_services.escalation_return(escalation=mine, by=pmo, decision_reason="Not ours")
    decided = Escalation.objects.get(pk=proposed.pk)
    assert (decided.status, decided.decided_by, decided.decision_reason) == ("accepted", colleague, "Agreed")
    assert Risk.objects.get(pk=risk.pk).contributes_to.title == "Backlog"


def test_a_published_paper_superseded_twice_from_stale_pages_gets_one_draft(pmo, colleague, portfolio):
    from django.core.exceptions import ValidationError

    from reporting.models import Report
    from tests.builders import publish

    draft = report_services.report_create_draft(
        board=Board.objects.get(name="Audit Committee"), programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1), by=pmo,
    )  # fmt: skip
    paper = publish(draft, pmo)
    mine, theirs = Report.objects.get(pk=paper.pk), Report.objects.get(pk=paper.pk)
    report_services.report_supersede(report=theirs, by=colleague)
    with pytest.raises(ValidationError, match="already exists"):
        report_services.report_supersede(report=mine, by=pmo)
    assert Report.objects.filter(supersedes=paper).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_escalations_proposed_at_the_same_moment_make_one(shipped_data, pmo, colleague, portfolio):
    """Two requests at once, each on its own connection: the risk's row lock makes the second wait and then see
    the first. (PostgreSQL only: SQLite serialises whole-database writes, so it cannot race at all.)"""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    from risks.models import Escalation

    if connection.vendor != "postgresql":
        pytest.skip("Row locks are PostgreSQL's; SQLite serialises every write.")
    risk = _escalated_risk(portfolio, pmo)
    barrier, outcomes = threading.Barrier(2), []

    def propose(user):
        try:
            barrier.wait()
            risk_services.escalation_propose(risk=Risk.objects.get(pk=risk.pk), reason="At once", by=user)
            outcomes.append("made")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=propose, args=(user,)) for user in (pmo, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("made") == 1
    assert [o for o in outcomes if o != "made"] == [
        f"{risk.reference} already has an escalation waiting for a decision."
    ]
    assert Escalation.objects.filter(risk=risk, status="proposed").count() == 1


def test_evidence_accepted_from_two_stale_pages_is_accepted_once(pmo, colleague):
    from django.core.exceptions import ValidationError

    from assurance.models import Evidence

    driver = assurance_services.driver_save(
        driver=Driver(kind="recommendation", title="Reviews", source="HMICFRS"), by=pmo, reason="x"
    )
    added = assurance_services.evidence_add(
        driver=driver, summary="The closure report for the review work", provided_on=date(2022, 5, 1), by=pmo
    )
    mine, theirs = Evidence.objects.get(pk=added.pk), Evidence.objects.get(pk=added.pk)
    assurance_services.evidence_accept(evidence=theirs, on=date(2022, 6, 1), by=colleague)
    with pytest.raises(ValidationError, match="already been accepted"):
        assurance_services.evidence_accept(evidence=mine, on=date(2022, 6, 2), by=pmo)
    accepted = Evidence.objects.get(pk=added.pk)
    assert (accepted.accepted_on, accepted.accepted_by) == (date(2022, 6, 1), colleague)


def test_a_business_cases_next_version_started_from_two_stale_pages_is_made_once(pmo, colleague, portfolio):
    from django.core.exceptions import ValidationError

    from assurance.models import BusinessCase

    case = assurance_services.case_create(programme=portfolio["programme"], title="PBC", by=pmo, reason="Drafted")
    mine, theirs = BusinessCase.objects.get(pk=case.pk), BusinessCase.objects.get(pk=case.pk)
    assurance_services.case_new_version(case=theirs, by=colleague, reason="Rework")
    with pytest.raises(ValidationError, match="later version of this case already exists"):
        assurance_services.case_new_version(case=mine, by=pmo, reason="Rework too")
    assert BusinessCase.objects.filter(previous=case).count() == 1
