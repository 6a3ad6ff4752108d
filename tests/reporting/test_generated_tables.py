"""Sections another force's paper had to type by hand, generated from the data as at the meeting: counts of open
work by status, a table of projects with the columns the layout chooses, and the top risks with their scores and
direction; and what the paper says of prioritisation and risks read as at the meeting, not today."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting import services
from reporting.compose import compose
from reporting.models import Board, ReportTemplate, TemplateSection
from risks import services as risk_services
from risks.models import PriorityAssessment, RiskScheme
from workstreams import services as portfolio_services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def layout(*sections):
    template = ReportTemplate.objects.create(name="Highlight tables")
    for order, (heading, generator, extra) in enumerate(sections, start=1):
        TemplateSection.objects.create(
            template=template, order=order, heading=heading, kind="generated", generator=generator, **extra
        )
    return Board.objects.create(name="Change Board", template=template)


def paper(board, portfolio, pmo, meeting=date(2022, 6, 1), comparison=None):
    report = services.report_create_draft(
        board=board, programme=portfolio["programme"], meeting_date=meeting, comparison_date=comparison, by=pmo
    )
    return {s["heading"]: s["blocks"] for s in compose(report)["sections"]}


def rate(item, level, pmo, on):
    dimension = portfolio_services.dimensions_for(item).get(code="overall")
    rating = RatingInput(dimension, level, f"{level.label} for a reason")
    portfolio_services.status_update_submit(subject=item, as_of=on, ratings=[rating], by=pmo)


def texts(table_block):
    return [[c["text"] for c in row] for row in table_block["rows"]]


def test_counts_of_open_work_by_status_per_dimension(pmo, portfolio, rag):
    rate(portfolio["ws_a"], rag["RED"], pmo, date(2022, 5, 1))
    rate(portfolio["ws_b"], rag["GREEN"], pmo, date(2022, 5, 1))
    rate(portfolio["project_a"], rag["RED"], pmo, date(2022, 5, 1))
    board = layout(("Counts", "status-counts", {}))
    intro, counts = paper(board, portfolio, pmo)["Counts"]
    assert "2 open workstreams and 2 open projects" in intro["text"]
    overall = [row for row in texts(counts) if row[0] == "Overall"]
    assert ["Overall", "Red", "1", "1"] in overall and ["Overall", "Green", "1", "0"] in overall
    assert ["Overall", "Not rated", "0", "1"] in overall
    red = next(row for row in counts["rows"] if row[1]["text"] == "Red")
    assert red[1]["colour"] == rag["RED"].colour  # the status cell carries its colour


def test_a_projects_table_shows_the_columns_the_layout_chooses(pmo, portfolio, rag):
    rate(portfolio["project_a"], rag["AMBER"], pmo, date(2022, 5, 1))
    board = layout(("Projects", "projects-table", {"columns": "name\noverall\nstart_date\nworkstream"}))
    [projects] = paper(board, portfolio, pmo)["Projects"]
    assert projects["columns"] == ["Project", "Overall", "Start date", "Workstream"]
    row = next(r for r in projects["rows"] if r[0]["text"] == portfolio["project_a"].name)
    assert row[1]["text"] == "Amber" and row[1]["colour"] == rag["AMBER"].colour
    assert row[3]["text"] == portfolio["ws_a"].name


def test_a_projects_table_refuses_a_column_it_cannot_show(db):
    section = TemplateSection(
        template=ReportTemplate.objects.create(name="Bad"),
        order=1,
        heading="Projects",
        kind="generated",
        generator="projects-table",
        columns="name\nshoe_size",
    )
    with pytest.raises(ValidationError, match="shoe_size"):
        section.full_clean()


def test_the_top_risks_with_their_scores_and_direction_since_the_comparison(pmo, portfolio):
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    worse = risk_services.risk_raise(
        register=register, title="Funding gap", category=category,
        scores=risk_services.Scores((4, 4), (2, 3), (1, 1)), by=pmo, raised_on=date(2022, 3, 1),
    )  # fmt: skip
    risk_services.risk_update(
        risk=worse,
        changes={"current_likelihood": 4, "current_impact": 4},
        by=pmo,
        reason="Worse",
        when=timezone.make_aware(datetime(2022, 5, 1, 12)),
    )
    board = layout(("Risks", "top-risks", {}))
    [risks] = paper(board, portfolio, pmo, comparison=date(2022, 4, 1))["Risks"]
    assert risks["columns"][-1] == "Since 1 April 2022"
    assert texts(risks)[0][1:] == ["Funding gap", "16", "16", "1", risks["rows"][0][5]["text"], "▲ Worse"]


def test_the_prioritisation_in_a_paper_is_the_ranking_as_it_stood_at_the_meeting(pmo, portfolio):
    from risks.services import ImpactInput, assessment_record

    categories = list(RiskScheme.objects.get(is_current=True).categories.all())
    low = [ImpactInput(c, 1) for c in categories]
    high = [ImpactInput(c, 5) for c in categories]
    project = portfolio["project_a"]
    assessment_record(project=project, likelihood=1, impacts=low, assessed_on=date(2022, 5, 1), by=pmo)
    assessment_record(project=project, likelihood=5, impacts=high, assessed_on=date(2022, 9, 1), by=pmo)
    assert PriorityAssessment.objects.count() == 2
    board = layout(("Priorities", "prioritisation", {}))
    june = paper(board, portfolio, pmo)["Priorities"]
    ranked = [row for row in texts(june[1]) if row[1] == portfolio["project_a"].name]
    october = paper(board, portfolio, pmo, meeting=date(2022, 10, 1))["Priorities"]
    later = [row for row in texts(october[1]) if row[1] == portfolio["project_a"].name]
    assert ranked[0][2] != later[0][2]  # the band at each meeting, from the assessment in force then


def test_driver_links_and_embedding_actions_are_reported_as_they_stood_at_the_meeting(pmo, portfolio):
    from django.utils import timezone as tz

    from assurance import services as assurance_services
    from assurance.models import Driver, EmbeddingAction

    driver = assurance_services.driver_save(
        driver=Driver(kind="recommendation", title="Missing people", source="HMICFRS"), by=pmo, reason="PEEL"
    )
    may = tz.make_aware(datetime(2022, 5, 1, 12))
    assurance_services.driver_link(driver=driver, item=portfolio["ws_a"], by=pmo, reason="Answers it", when=may)
    assurance_services.item_record_save(
        record=EmbeddingAction(description="Embed triage", owner_name="Control Room", due_on=date(2022, 9, 30)),
        item=portfolio["ws_a"], by=pmo, reason="Handover", when=may,
    )  # fmt: skip
    # After the June meeting: a second piece of work answers the driver, and a second action is added.
    assurance_services.driver_link(driver=driver, item=portfolio["ws_b"], by=pmo, reason="Also answers it")
    assurance_services.item_record_save(
        record=EmbeddingAction(description="Embed later", owner_name="Ops", due_on=date(2022, 12, 1)),
        item=portfolio["ws_b"], by=pmo, reason="Later",
    )  # fmt: skip
    board = layout(("Drivers", "drivers", {}), ("Embedding", "embedding", {}))
    sections = paper(board, portfolio, pmo)
    [drivers] = sections["Drivers"]
    assert f"Answered by {portfolio['ws_a'].name}." in drivers["bullets"]
    assert portfolio["ws_b"].name not in " ".join(drivers["bullets"])
    [embedding] = sections["Embedding"]
    assert [row[0] for row in texts(embedding)] == ["Embed triage"]
