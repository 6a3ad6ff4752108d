"""Another body's portfolio, set up without code and built here from nothing: three programmes, each on its own
scale; projects carrying the lead body, a major-project reference, a tier and a third-party score as their own
fields; a Time rating derived from overdue actions and an Overall rating from criteria outside tolerance, each
with its explanation; a manual Green that contradicts its rule flagged; the projects list filtered by tier and
sorted by score; and a paper's project table with the own columns."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from changeprog.colours import readable_text_on
from changeprog.governance import save_governed
from changeprog.models import CustomField
from reporting.compose import compose
from reporting.models import Board, ReportTemplate, TemplateSection
from reporting.services import report_create_draft
from risks import services as risk_services
from risks.models import RiskScheme
from workstreams import rules, services, status_rules
from workstreams.models import Portfolio, StatusDimension, StatusLevel, StatusRule, StatusScale
from workstreams.selectors import programme_overview
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
STARTED = date(2024, 4, 1)


def scale(code, name, levels, by):
    made = save_governed(StatusScale(code=code, name=name), by=by, reason="The body's own scale")
    for severity, (level_code, label, colour) in enumerate(levels, start=1):
        save_governed(
            StatusLevel(scale=made, code=level_code, label=label, colour=colour, text_colour=readable_text_on(colour),
                        severity=severity, requires_reason=severity >= 3),
            by=by,
            reason="The body's own scale",
        )  # fmt: skip
    return made


def own_field(by, **fields):
    return save_governed(CustomField(record="project", **fields), by=by, reason="The tracker's columns")


@pytest.fixture
def body(pmo):
    """Three programmes of a county's change portfolio, each on its own scale, with the tracker's own fields."""
    council = scale(
        "council", "Council delivery", [("BLUE", "Blue", "#1D70B8"), ("GREEN", "Green", "#00703C"),
                                        ("AMBER", "Amber", "#FFBF47"), ("RED", "Red", "#D4351C")], pmo)  # fmt: skip
    scales = {"EST": council, "DIG": StatusScale.objects.current("dca"), "PPL": StatusScale.objects.current("rag")}
    portfolio = save_governed(Portfolio(code="CCP", name="County change portfolio"), by=pmo, reason="Set up")
    programmes = {}
    for code, name in (("EST", "Estates"), ("DIG", "Digital"), ("PPL", "People")):
        programme = services.programme_create(
            code=code, name=name, by=pmo, reason="Set up", effective=STARTED, portfolio=portfolio
        )
        for dimension in programme.dimensions.all():
            services.dimension_set_scale(
                dimension=dimension, scale=scales[code], by=pmo, reason="The body's scale", effective=STARTED
            )
        programmes[code] = programme
    own_field(pmo, code="lead-body", label="Lead body", type="text", required=True, order=1)
    own_field(pmo, code="gmpp", label="GMPP reference", type="text", order=2, in_reports=True)
    own_field(pmo, code="tier", label="Tier", type="choice", choices="Tier 1\nTier 2\nTier 3", order=3,
              in_reports=True, on_board=True)  # fmt: skip
    own_field(pmo, code="ipa-score", label="IPA score", type="decimal", order=4, in_reports=True)
    projects = {}
    rows = [
        ("EST", "Estates hub", "County council", "GMPP-0101", "Tier 1", "72.5"),
        ("EST", "Depot closure", "Police and crime commissioner", "", "Tier 2", "40"),
        ("DIG", "Records system", "Force", "GMPP-0202", "Tier 1", "8.25"),
        ("DIG", "Mobile data", "Force", "", "Tier 3", "55"),
        ("PPL", "Shift patterns", "Force", "", "Tier 1", "100"),
    ]
    for code, name, lead_body, gmpp, tier, score in rows:
        workstream = services.workstream_create(
            programme=programmes[code], name=f"{programmes[code].name} delivery", by=pmo, reason="Set up",
            effective=STARTED,
        ) if not programmes[code].workstreams.exists() else programmes[code].workstreams.get()  # fmt: skip
        custom = {"lead-body": lead_body, "tier": tier, "ipa-score": score}
        if gmpp:
            custom["gmpp"] = gmpp
        projects[name] = services.project_create(
            workstream=workstream, name=name, by=pmo, reason="From the tracker", effective=STARTED, custom=custom
        )
    return {"programmes": programmes, "projects": projects, "scales": scales, "portfolio": portfolio}


def test_another_bodys_portfolio_without_code(client, pmo, viewer, body):
    est, dig = body["programmes"]["EST"], body["programmes"]["DIG"]
    council, dca = body["scales"]["EST"], body["scales"]["DIG"]

    # Time on the council's scale, derived from overdue risk actions.
    time = save_governed(
        StatusDimension(programme=est, code="time", name="Time", scale=council, order=2), by=pmo, reason="Reported",
        effective=STARTED,
    )  # fmt: skip
    save_governed(
        StatusRule(dimension=time, applies_to="project", name="any overdue → Amber", method="measure",
                   measure="overdue-actions", steps="1 AMBER\n20 RED", otherwise_code="GREEN"),
        by=pmo,
        reason="Agreed at the portfolio board",
    )  # fmt: skip
    hub = body["projects"]["Estates hub"]
    register = risk_services.programme_register(est, by=pmo)
    risk = risk_services.risk_raise(
        register=register, title="Contractor capacity", category=RiskScheme.objects.get(is_current=True)
        .categories.get(code="financial"), scores=risk_services.Scores((3, 3), (3, 3), (1, 1)), project=hub, by=pmo,
        raised_on=TODAY - timedelta(days=90),
    )  # fmt: skip
    for n in range(110):
        due = TODAY - timedelta(days=5) if n < 18 else TODAY + timedelta(days=20)
        risk_services.action_add(risk=risk, description=f"Action {n}", due_date=due, by=pmo)
    [time_rule] = status_rules.suggest(hub, TODAY).values()
    assert time_rule.explanation == "Amber: 18 of 110 actions overdue, rule ‘any overdue → Amber’"

    # Overall on the five-point scale, from the criteria outside tolerance.
    overall = dig.dimensions.get(code="overall")
    save_governed(
        StatusRule(dimension=overall, applies_to="project", name="three of four outside → Red", method="measure",
                   measure="criteria-outside", level_code="A", criteria="schedule\nfunding\nscope\nbenefits",
                   steps="2 A\n3 R", otherwise_code="G"),
        by=pmo,
        reason="Agreed at the portfolio board",
    )  # fmt: skip
    records = body["projects"]["Records system"]
    levels = {level.code: level for level in dca.levels.all()}
    criteria = [
        RatingInput(dig.dimensions.get(code="schedule"), levels["R"], "Supplier late"),
        RatingInput(dig.dimensions.get(code="funding"), levels["A"], "Over budget"),
        RatingInput(dig.dimensions.get(code="scope"), levels["AR"], "Scope grew"),
        RatingInput(dig.dimensions.get(code="benefits"), levels["G"]),
    ]
    with pytest.raises(ValidationError) as refused:
        services.status_update_submit(
            subject=records, as_of=TODAY, ratings=[*criteria, RatingInput(overall, levels["G"])], by=pmo
        )
    assert "its rule gives Red: 3 of 4 criteria at Amber or worse (schedule, funding, scope)" in str(refused.value)
    services.status_update_submit(
        subject=records,
        as_of=TODAY,
        ratings=[*criteria, RatingInput(overall, levels["G"], "Recovery plan agreed with the supplier")],
        by=pmo,
    )
    overview = programme_overview(dig, as_of=TODAY)
    flagged = rules.flagged(rules.attention(overview, TODAY, rules.cadence_for(dig)), "differs-from-rule")
    assert [f.row.item for f in flagged] == [records]
    rating = flagged[0].row.update.ratings.get(dimension=overall)
    assert (rating.level.code, rating.computed_level.code) == ("G", "R")
    assert rating.computed_explanation.startswith("Red: 3 of 4 criteria")

    # The Time rating recorded as its rule gives, on the council's scale.
    services.status_update_submit(
        subject=hub, as_of=TODAY, ratings=[RatingInput(time, time_rule.level, "18 actions late")], by=pmo
    )
    assert hub.status_updates.get().ratings.get().computed_level == time_rule.level

    # The projects list: Tier 1 only, highest score first, across the three programmes.
    client.force_login(viewer)
    page = client.get(reverse("workstreams:project_list"), {"cf_tier": "Tier 1", "sort": "-cf_ipa_score"})
    assert [p.name for p in page.context["table"].page.object_list.data] == [
        "Shift patterns",
        "Estates hub",
        "Records system",
    ]
    html = page.content.decode()
    assert "Lead body" in html and "Police and crime commissioner" not in html

    # A paper's project table carries the own columns chosen for papers, as at its meeting.
    template = ReportTemplate.objects.create(name="Portfolio board")
    TemplateSection.objects.create(template=template, order=1, heading="Projects", kind="generated",
                                   generator="projects-table")  # fmt: skip
    report = report_create_draft(
        board=Board.objects.create(name="Portfolio board", template=template),
        programme=est,
        meeting_date=TODAY,
        comparison_date=None,
        by=pmo,
    )
    [table] = {s["heading"]: s["blocks"] for s in compose(report)["sections"]}["Projects"]
    assert table["columns"][-3:] == ["GMPP reference", "Tier", "IPA score"]
    rows = {r[0]["text"]: [c["text"] for c in r[-3:]] for r in table["rows"]}
    assert rows == {"Estates hub": ["GMPP-0101", "Tier 1", "72.5"], "Depot closure": ["", "Tier 2", "40"]}
    assert Decimal(hub.custom["ipa-score"]) == Decimal("72.5")

    # The portfolio above the three: its programmes, and no single level claimed across their three scales.
    for code, programme in body["programmes"].items():
        overall = programme.dimensions.get(code="overall")
        level = body["scales"][code].levels.filter(is_rating=True).order_by("-severity").first()
        services.status_update_submit(
            subject=programme, as_of=TODAY, ratings=[RatingInput(overall, level, "Programme board view")], by=pmo
        )
    page = client.get(reverse("workstreams:portfolio", args=[body["portfolio"].pk])).content.decode()
    assert "Estates" in page and "Digital" in page and "People" in page
    assert "report on 3 different scales" in page
