"""A paper's money and plan, generated from the data as at the meeting: the finance position with its Finance
implications paragraph, the milestones the committee must be told of, and the roadmap as a picture in the PDF and
the Word file with its table; and the dashboard's money and milestone panels, each figure linking to its items."""

import io
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from finance import services as finance_services
from finance.years import FinancialYear
from reporting import outputs, services
from reporting.compose import compose
from reporting.models import Board, ReportTemplate, TemplateSection
from workstreams import services as portfolio_services
from workstreams.models import Milestone

pytestmark = pytest.mark.django_db

MEETING = date(2026, 11, 30)


def plan_paper(portfolio, pmo, *generators, comparison=None):
    template = ReportTemplate.objects.create(name="Money and plan")
    for order, generator in enumerate(generators, start=1):
        TemplateSection.objects.create(
            template=template, order=order, heading=generator.title(), kind="generated", generator=generator
        )
    board = Board.objects.create(name="Finance and plan board", template=template)
    return services.report_create_draft(
        board=board, programme=portfolio["programme"], meeting_date=MEETING, comparison_date=comparison, by=pmo
    )


def sections(report):
    return {s["heading"]: s["blocks"] for s in compose(report)["sections"]}


def texts(block):
    return [[c["text"] for c in row] for row in block["rows"]]


def money(portfolio, pmo):
    finance_services.tolerance_set(programme=portfolio["programme"], percent=Decimal(5), amount=None, by=pmo,
                                   reason="Agreed")  # fmt: skip
    finance_services.finance_year_save(
        subject=portfolio["project_a"], year=FinancialYear(2026), by=pmo, reason="Phasing",
        values={(date(2026, 4, 1), "capital"): {"budget": Decimal(400000), "actual": Decimal(450000)},
                (date(2026, 5, 1), "revenue"): {"budget": Decimal(100000), "forecast": Decimal(90000)}},
        effective=date(2026, 5, 1),
    )  # fmt: skip
    finance_services.finance_year_save(
        subject=portfolio["programme"], year=FinancialYear(2025), by=pmo, reason="Last year",
        values={(date(2025, 6, 1), "revenue"): {"budget": Decimal(50000), "actual": Decimal(50000)}},
        effective=date(2025, 6, 1),
    )  # fmt: skip


def test_the_finance_section_drafts_the_implications_from_the_figures(portfolio, pmo):
    from assurance.models import BusinessCase, CaseStatus, FundingLine

    money(portfolio, pmo)
    case = BusinessCase.objects.create(programme=portfolio["programme"], title="PBC", status=CaseStatus.APPROVED)
    FundingLine.objects.create(case=case, year="2026/27", kind="capital", amount=420000)
    report = plan_paper(portfolio, pmo, "finance")
    intro, position, years = sections(report)["Finance"]
    assert intro["text"].startswith(
        "Finance implications: 2026/27: forecast outturn £540,000 against a budget of £500,000, £40,000 over (8.0%); "
        "outside the tolerance of £25,000 (5% of budget)."
    )
    assert (
        "Its approved business cases fund £420,000 for 2026/27; the forecast outturn is £120,000 above it."
        in (intro["text"])
    )
    assert "Across 2025/26 to 2026/27 the budget is £550,000 and the forecast outturn £590,000." in intro["text"]
    assert texts(position)[0] == ["Capital", "£400,000", "£420,000", "£450,000", "£450,000", "£50,000"]
    assert [row[0] for row in texts(years)] == ["2025/26", "2026/27"]


def test_the_milestones_section_tells_the_committee_what_was_achieved_is_late_and_is_next(portfolio, pmo):
    def plan(name, baseline, tell=True, **fields):
        return portfolio_services.milestone_save(
            Milestone(project=portfolio["project_a"], name=name, baseline_date=baseline, tell_committee=tell,
                      **fields),
            by=pmo, reason="Planned", effective=date(2026, 1, 1),
        )  # fmt: skip

    plan("Contract signed", date(2026, 9, 30), status="complete", actual_date=date(2026, 10, 14))
    plan("Data migrated", date(2026, 11, 1))
    plan("Go-live", date(2027, 1, 31))
    plan("Internal check", date(2026, 11, 1), tell=False)
    plan("Far off", date(2027, 12, 1))
    report = plan_paper(portfolio, pmo, "milestones", comparison=date(2026, 10, 1))
    done, late, next_up = sections(report)["Milestones"]
    assert texts(done) == [["Contract signed", "Project A", "30 September 2026", "14 October 2026", "14"]]
    assert [row[0] for row in texts(late)] == ["Data migrated"]  # not the internal one
    assert [row[0] for row in texts(next_up)] == ["Go-live"]


def test_the_roadmap_is_a_picture_in_the_pdf_and_the_word_file_with_its_table(portfolio, pmo):
    portfolio_services.item_update(
        item=portfolio["ws_a"], changes={"start_date": date(2026, 4, 1), "baseline_end_date": date(2027, 3, 31)},
        by=pmo, reason="Planned", effective=date(2026, 4, 1),
    )  # fmt: skip
    report = plan_paper(portfolio, pmo, "roadmap")
    figure, as_table = sections(report)["Roadmap"]
    assert figure["type"] == "figure" and figure["caption"].startswith("Roadmap of Portfolio under test")
    assert ["Workstream A", "1 April 2026", "31 March 2027", "31 March 2027", ""] in texts(as_table)
    document = outputs.stamped(compose(report), outputs.draft_stamp(report))
    word = Document(io.BytesIO(outputs.render(document, "docx")))
    assert word.inline_shapes, "the roadmap is a picture in the Word file"
    pdf = outputs.render(document, "pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "Roadmap of Portfolio under test" in text


def test_the_dashboard_shows_money_and_milestones_and_links_to_the_items_behind_them(client, portfolio, pmo, viewer):
    from django.utils import timezone

    today = timezone.localdate()
    year = FinancialYear.of(today)
    finance_services.finance_year_save(
        subject=portfolio["project_a"], year=year, by=pmo, reason="x",
        values={(year.first_day, "capital"): {"budget": Decimal(1000), "actual": Decimal(1500)}},
    )  # fmt: skip
    portfolio_services.milestone_save(
        Milestone(project=portfolio["project_a"], name="Late", baseline_date=today - timedelta(days=3)), by=pmo,
        reason="x",
    )  # fmt: skip
    client.force_login(viewer)
    page = client.get(reverse("reporting:dashboard", args=[portfolio["programme"].pk])).content.decode()
    assert "forecast outturn £1,500 against a budget of £1,000, £500 over (50.0%)" in page
    assert reverse("finance:workstream", args=[portfolio["ws_a"].pk]) in page
    milestones = reverse("workstreams:milestones", args=[portfolio["programme"].pk])
    assert f'{milestones}?show=overdue"><strong>1</strong> overdue' in page
