"""Computed and rolled-up status as data: a rule gives a level with its explanation, a rating that differs needs a
reason and is flagged on the board, the dashboard, the publish gate and in papers, and the rating keeps what its
rule said in its history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from changeprog.governance import save_governed
from risks import services as risk_services
from risks.models import RiskScheme
from tests.factories import make_project, make_workstream
from workstreams import rules, services, status_rules
from workstreams.models import StatusLevel, StatusRating, StatusRule
from workstreams.selectors import programme_overview
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def add_dimension(programme, code, name, order, *, by):
    from workstreams.models import StatusDimension, StatusScale

    return save_governed(
        StatusDimension(
            programme=programme, code=code, name=name, scale=StatusScale.objects.current("rag"), order=order
        ),
        by=by,
        reason="Reported",
        effective=date(2020, 1, 1),
    )


def rule(dimension, *, by, **fields):
    return save_governed(StatusRule(dimension=dimension, **fields), by=by, reason="Agreed at the board")


def actions_on(project, *, by, overdue, on_time):
    scheme = RiskScheme.objects.get(is_current=True)
    register = risk_services.programme_register(project.workstream.programme, by=by)
    risk = risk_services.risk_raise(
        register=register,
        title=f"Risk on {project.name}",
        category=scheme.categories.get(code="financial"),
        scores=risk_services.Scores((3, 3), (3, 3), (1, 1)),
        project=project,
        by=by,
        raised_on=TODAY() - timedelta(days=60),
    )
    for n in range(overdue):
        risk_services.action_add(risk=risk, description=f"Late {n}", due_date=TODAY() - timedelta(days=3), by=by)
    for n in range(on_time):
        risk_services.action_add(risk=risk, description=f"Due {n}", due_date=TODAY() + timedelta(days=30), by=by)


@pytest.fixture
def time_rule(portfolio, pmo):
    programme = portfolio["programme"]
    time = add_dimension(programme, "time", "Time", 5, by=pmo)
    rule(
        time,
        by=pmo,
        applies_to="project",
        name="any overdue → Amber, a tenth → Red",
        method="measure",
        measure="overdue-actions",
        as_share=True,
        steps="0.1 AMBER\n10 RED",
        otherwise_code="GREEN",
    )
    return time


def test_time_is_derived_from_overdue_actions_with_its_explanation(portfolio, pmo, time_rule):
    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=18, on_time=92)
    [found] = status_rules.suggest(project, TODAY()).values()
    assert found.level.code == "RED"
    assert found.explanation == "Red: 18 of 110 actions overdue, rule ‘any overdue → Amber, a tenth → Red’"


def test_a_rating_that_agrees_keeps_the_rules_word_in_its_history(portfolio, pmo, time_rule, rag):
    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=1, on_time=99)
    update = services.status_update_submit(
        subject=project, as_of=TODAY(), ratings=[RatingInput(time_rule, rag["AMBER"], "One late")], by=pmo
    )
    rating = update.ratings.get()
    assert (rating.computed_level, rating.disagrees) == (rag["AMBER"], False)
    assert rating.computed_explanation.startswith("Amber: 1 of 100 actions overdue")
    assert rating.history.get().computed_explanation == rating.computed_explanation


def test_a_green_against_its_rule_needs_a_reason_and_is_flagged(client, portfolio, pmo, viewer, time_rule, rag):
    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=18, on_time=92)
    with pytest.raises(ValidationError) as refused:
        services.status_update_submit(
            subject=project, as_of=TODAY(), ratings=[RatingInput(time_rule, rag["GREEN"])], by=pmo
        )
    assert "its rule gives Red: 18 of 110 actions overdue" in str(refused.value.message_dict["rating_time"])
    services.status_update_submit(
        subject=project,
        as_of=TODAY(),
        ratings=[RatingInput(time_rule, rag["GREEN"], "The overdue actions are paperwork; delivery is on track")],
        by=pmo,
    )
    overview = programme_overview(portfolio["programme"], as_of=TODAY())
    found = rules.flagged(
        rules.attention(overview, TODAY(), rules.cadence_for(portfolio["programme"])), "differs-from-rule"
    )
    assert [f.row.item for f in found] == [project]
    client.force_login(viewer)
    board = client.get(reverse("workstreams:board", args=[portfolio["programme"].pk])).content.decode()
    assert "Rated otherwise than its rule" in board
    assert "Time rated Green; its rule gives Red: 18 of 110 actions overdue" in board
    assert "delivery is on track" in board
    dashboard = client.get(reverse("reporting:dashboard", args=[portfolio["programme"].pk])).content.decode()
    assert "Rated otherwise than its rule" in dashboard and "delivery is on track" in dashboard


def test_the_record_form_shows_the_rule_and_starts_from_it(client, portfolio, pmo, time_rule, rag):
    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=3, on_time=97)
    client.force_login(pmo)
    page = client.get(reverse("workstreams:project_record_update", args=[project.pk]))
    assert "Its rule gives Amber: 3 of 100 actions overdue" in page.content.decode()
    assert page.context["form"].initial["rating_time"] == rag["AMBER"].pk
    refused = client.post(
        reverse("workstreams:project_record_update", args=[project.pk]),
        {"as_of": TODAY().isoformat(), "rating_time": rag["GREEN"].pk, "reason": ""},
    )
    assert refused.status_code == 400
    assert "Say why you rate it otherwise" in refused.content.decode()
    assert not StatusRating.objects.filter(update__project=project).exists()


def test_criteria_outside_tolerance_give_overall_and_a_contradicting_green_is_caught(portfolio, pmo, rag):
    programme = portfolio["programme"]
    # The shipped dimensions Schedule, Funding, Scope and Benefits are the criteria (Time / Cost / Scope / Benefits).
    dims = {code: programme.dimensions.get(code=code) for code in ["funding", "scope", "benefits", "schedule"]}
    overall = programme.dimensions.get(code="overall")
    rule(
        overall,
        by=pmo,
        applies_to="project",
        name="two outside → Amber, three → Red",
        method="measure",
        measure="criteria-outside",
        level_code="AMBER",
        criteria="schedule\nfunding\nscope\nbenefits",
        steps="2 AMBER\n3 RED",
        otherwise_code="GREEN",
    )
    project = portfolio["project_a"]
    entered = [
        RatingInput(dims["schedule"], rag["RED"], "Late"),
        RatingInput(dims["funding"], rag["AMBER"], "Over"),
        RatingInput(dims["scope"], rag["AMBER"], "Creep"),
        RatingInput(dims["benefits"], rag["GREEN"]),
    ]
    with pytest.raises(ValidationError) as refused:
        services.status_update_submit(
            subject=project, as_of=TODAY(), ratings=[*entered, RatingInput(overall, rag["GREEN"])], by=pmo
        )
    assert "Red: 3 of 4 criteria at Amber or worse (schedule, funding, scope)" in str(refused.value)
    update = services.status_update_submit(
        subject=project, as_of=TODAY(), ratings=[*entered, RatingInput(overall, rag["RED"], "Three out")], by=pmo
    )
    assert update.ratings.get(dimension=overall).computed_level == rag["RED"]


def test_a_workstream_rolls_up_the_worst_of_its_projects(portfolio, pmo, rag):
    programme = portfolio["programme"]
    overall = programme.dimensions.get(code="overall")
    rule(overall, by=pmo, applies_to="workstream", name="worst of its projects", method="worst")
    ws = portfolio["ws_a"]
    second = make_project(ws, by=pmo, name="Second project")
    for project, level in ((portfolio["project_a"], "AMBER"), (second, "RED")):
        services.status_update_submit(
            subject=project, as_of=TODAY(), ratings=[RatingInput(overall, rag[level], "Why")], by=pmo
        )
    [found] = status_rules.suggest(ws, TODAY()).values()
    assert found.explanation == "Red: the worst of 2 projects (Second project Red), rule ‘worst of its projects’"


def test_a_programme_rolls_up_the_share_of_its_workstreams(portfolio, pmo, rag):
    programme = portfolio["programme"]
    overall = programme.dimensions.get(code="overall")
    rule(
        overall,
        by=pmo,
        applies_to="programme",
        name="half Amber or worse → Amber",
        method="share",
        level_code="AMBER",
        steps="50 AMBER\n75 RED",
        otherwise_code="GREEN",
    )
    third = make_workstream(programme, by=pmo, name="Workstream C")
    for ws, level in ((portfolio["ws_a"], "RED"), (portfolio["ws_b"], "GREEN"), (third, "AMBER")):
        services.status_update_submit(
            subject=ws, as_of=TODAY(), ratings=[RatingInput(overall, rag[level], "x")], by=pmo
        )
    [found] = status_rules.suggest(programme, TODAY()).values()
    assert (
        found.explanation == "Amber: 2 of 3 workstreams (66.7%) at Amber or worse, rule ‘half Amber or worse → Amber’"
    )


def test_days_past_the_forecast_end(portfolio, pmo, rag):
    programme = portfolio["programme"]
    schedule = programme.dimensions.get(code="schedule")
    rule(
        schedule,
        by=pmo,
        applies_to="project",
        name="late → Amber, a quarter late → Red",
        method="measure",
        measure="days-past-forecast",
        steps="1 AMBER\n90 RED",
        otherwise_code="GREEN",
    )
    project = portfolio["project_a"]
    services.item_replan(item=project, forecast_end_date=TODAY() - timedelta(days=45), by=pmo, reason="Slipped")
    project.refresh_from_db()
    [found] = status_rules.suggest(project, TODAY()).values()
    assert found.level.code == "AMBER" and "45 days past its forecast end" in found.explanation


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"applies_to": "project", "method": "worst"}, "method"),
        ({"applies_to": "project", "method": "measure", "measure": "shoe-size", "steps": "1 RED"}, "measure"),
        ({"applies_to": "project", "method": "measure", "measure": "overdue-actions", "steps": "some RED"}, "steps"),
        ({"applies_to": "project", "method": "measure", "measure": "overdue-actions", "steps": "1 PURPLE"}, "steps"),
        (
            {
                "applies_to": "project",
                "method": "measure",
                "measure": "criteria-outside",
                "steps": "1 RED",
                "level_code": "AMBER",
                "criteria": "nonsense",
            },
            "criteria",
        ),  # fmt: skip
        ({"applies_to": "workstream", "method": "share", "steps": "50 RED"}, "level_code"),
    ],
)
def test_a_rule_that_cannot_be_evaluated_is_refused(portfolio, pmo, fields, field):
    overall = portfolio["programme"].dimensions.get(code="overall")
    with pytest.raises(ValidationError) as refused:
        rule(overall, by=pmo, name="Broken", **fields)
    assert field in refused.value.message_dict


def test_imported_history_is_kept_as_the_tracker_said(portfolio, pmo, time_rule, rag):
    from workstreams.models import ImportBatch

    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=18, on_time=92)
    batch = ImportBatch.objects.create(file_name="old.xlsx", checksum="x" * 64, imported_by=pmo)
    update = services.status_update_submit(
        subject=project,
        as_of=date(2021, 3, 31),
        ratings=[RatingInput(time_rule, rag["GREEN"])],
        by=pmo,
        import_batch=batch,
    )
    assert update.ratings.get().computed_level is None


def test_the_paper_shows_the_difference_and_the_gate_lists_it(portfolio, pmo, time_rule, rag):
    from reporting import quality
    from reporting.compose import compose
    from reporting.models import Board, ReportTemplate, TemplateSection
    from reporting.services import report_create_draft

    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=18, on_time=92)
    services.status_update_submit(
        subject=project,
        as_of=TODAY(),
        ratings=[RatingInput(time_rule, rag["GREEN"], "Paperwork only")],
        by=pmo,
    )
    template = ReportTemplate.objects.create(name="With rules")
    TemplateSection.objects.create(
        template=template, order=1, heading="Rules", kind="generated", generator="rule-differences"
    )
    report = report_create_draft(
        board=Board.objects.create(name="Change board", template=template),
        programme=portfolio["programme"],
        meeting_date=TODAY(),
        comparison_date=None,
        by=pmo,
    )
    [intro, table] = {s["heading"]: s["blocks"] for s in compose(report)["sections"]}["Rules"]
    [row] = [[c["text"] for c in r] for r in table["rows"]]
    assert (
        row[0] == project.name
        and row[2] == "Green"
        and row[3].startswith("Red: 18 of 110")
        and row[4] == ("Paperwork only")
    )
    assert [f.code for f in quality.findings(report) if f.code == "differs-from-rule"] == ["differs-from-rule"]


def test_the_levels_follow_a_new_version_of_the_scale_by_code(portfolio, pmo, time_rule, rag):
    project = portfolio["project_a"]
    actions_on(project, by=pmo, overdue=1, on_time=9)
    new_scale = services.scale_change(
        scale=rag["AMBER"].scale, levels={"AMBER": {"label": "Amber (at risk)"}}, by=pmo, reason="Renamed"
    )
    [found] = status_rules.suggest(project, TODAY()).values()
    assert found.level == StatusLevel.objects.get(scale=new_scale, code="RED")
