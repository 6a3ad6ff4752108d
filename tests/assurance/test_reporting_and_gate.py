"""Assurance in reports, and the data-quality gate a report passes before it is published."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from assurance.models import Driver
from reporting import quality, services
from reporting.compose import compose
from reporting.models import Board, Report, TemplateSection
from workstreams.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo")
    return Programme.objects.get(code="T2025")


def june_draft(demo, pmo):
    return services.report_create_draft(
        board=Board.objects.get(name="Audit Committee"),
        programme=demo,
        meeting_date=date(2022, 6, 1),
        comparison_date=date(2022, 4, 14),
        by=pmo,
    )


def june_draft_to_publish(demo):
    """A June draft that may be published: the demo has published the June paper, so this one supersedes it."""
    published = Report.objects.get(
        board__name="Audit Committee", programme=demo, meeting_date=date(2022, 6, 1), status="published"
    )
    return services.report_supersede(report=published, by=published.published_by)


def test_the_june_paper_can_include_the_drivers_and_evidence_drawn_from_the_demo(demo, pmo):
    template = Board.objects.get(name="Audit Committee").template
    last = template.sections.order_by("-order").first()
    TemplateSection.objects.create(
        template=template, order=last.order + 1, heading="Drivers and evidence", kind="generated", generator="drivers"
    )
    section = compose(june_draft(demo, pmo))["sections"][-1]
    assert (section["number"], section["heading"]) == ("8", "Drivers and evidence")
    assert [b["number"] for b in section["blocks"]] == ["8.1", "8.2"]  # the two the closed workstreams evidenced
    vulnerability = next(b for b in section["blocks"] if "on vulnerability" in b["text"])
    assert vulnerability["text"].startswith(
        "Inspection recommendation: Relevant HMICFRS recommendations on vulnerability"
    )
    assert "Answered by Vulnerability (Prevention/Engagement & Missing)." in vulnerability["bullets"]
    assert any(
        b.startswith(
            "Evidence provided on 31 May 2022: The workstream is closed with all required 2021/22 deliverables"
        )
        and b.endswith("not yet accepted.")
        for b in vulnerability["bullets"]
    )


def test_the_executive_summary_reports_cases_embedding_and_decisions_as_at_its_date(demo, pmo):
    report = services.report_create_draft(
        board=Board.objects.get(name="Executive"), programme=demo, meeting_date=date(2022, 6, 1), by=pmo
    )
    sections = {s["heading"]: s["blocks"] for s in compose(report)["sections"]}
    cases = sections["Business cases"][0]["rows"]
    assert [c["text"] for c in cases[0][:3]] == ["T2025 Programme Business Case", "1", "Draft"]
    embedding = [r[0]["text"] for r in sections["Embedding after closure"][0]["rows"]]
    assert "Embed the Cambridge Harm Index and tasking for offender management" in embedding
    needed = sections["Decisions"][0]
    assert needed["caption"] == "Decisions needed"
    assert "Approve the collective Programme Business Case" in [r[0]["text"] for r in needed["rows"]]
    assert sections["Benefits"][0]["text"].startswith("No benefits had been recorded")


def test_publishing_with_open_findings_needs_each_group_acknowledged(demo, pmo):
    report = june_draft_to_publish(demo)
    found = {f.code: f for f in quality.findings(report)}
    assert set(found) == {"no-update", "driver-no-evidence"}
    assert "Public Contact & Engagement" in [name for name, _ in found["no-update"].items]
    with pytest.raises(ValidationError, match="Fix or acknowledge before publishing: No update this period"):
        services.report_publish(report=report, by=pmo, acknowledged=["driver-no-evidence"])
    report.refresh_from_db()
    assert report.status == "draft" and report.snapshot is None
    services.report_publish(report=report, by=pmo, acknowledged=list(found))
    report.refresh_from_db()
    assert {g["code"]: g["count"] for g in report.quality_acknowledged} == {code: f.count for code, f in found.items()}
    assert report.history.first().history_change_reason.startswith("Published as version 2; data quality acknowledged:")


def test_fixing_the_data_clears_its_finding(demo, pmo):
    from assurance import services as assurance_services

    report = june_draft(demo, pmo)
    for driver in Driver.objects.filter(kind="recommendation"):
        evidence = driver.evidence.get()
        assurance_services.evidence_accept(evidence=evidence, on=date(2022, 5, 31), by=pmo)
    assert "driver-no-evidence" not in {f.code for f in quality.findings(report)}


def test_the_publish_page_lists_the_findings_and_refuses_without_acknowledgement(client, demo, pmo):
    report = june_draft_to_publish(demo)
    client.force_login(pmo)
    url = reverse("reporting:report_publish", args=[report.pk])
    page = client.get(url).content.decode()
    assert "No update this period" in page and "Drivers with their work closed but no evidence" in page
    response = client.post(url, {"ack_no-update": "on"})
    assert response.status_code == 400
    assert "Fix these, or acknowledge them to publish regardless." in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == "draft"
    response = client.post(url, {"ack_no-update": "on", "ack_driver-no-evidence": "on"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == "published"


def test_a_clean_programme_publishes_without_a_gate(client, portfolio, pmo, rag):
    from workstreams import services as portfolio_services

    # Every open item, the programme itself included, reported in May: the period due before a June meeting.
    for key in ("programme", "ws_a", "ws_b", "project_a", "project_b"):
        item = portfolio[key]
        dimension = portfolio_services.dimensions_for(item).first()
        portfolio_services.status_update_submit(
            subject=item,
            as_of=date(2022, 5, 20),
            ratings=[portfolio_services.RatingInput(dimension, rag["GREEN"])],
            by=pmo,
        )
    report = services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    assert quality.findings(report) == []
    client.force_login(pmo)
    assert (
        "No data-quality findings" in client.get(reverse("reporting:report_publish", args=[report.pk])).content.decode()
    )
    assert client.post(reverse("reporting:report_publish", args=[report.pk])).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.quality_acknowledged) == ("published", [])
