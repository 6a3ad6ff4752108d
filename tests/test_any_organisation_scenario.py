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
from tests.workstreams.test_board import assert_cards_as_template_wrote_them
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
    # The Digital board's cards, with the tier shown on cards and the Green rated otherwise than its rule, read
    # as the board's template wrote them.
    board = assert_cards_as_template_wrote_them(client, dig)
    assert 'class="rule-difference' in board and '<dt class="d-inline">Tier:</dt>' in board
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


def test_another_bodys_own_columns_register_and_scale_read_the_same_through_the_lean_pages(
    client, pmo, viewer, body, settings, monkeypatch
):
    """The lists' rows written in Python, the register paged by the kept count and the grid's cells laid out in
    Python, on this body's data: own columns of every kind, two registers with a risk closed, and its own scale."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from risks import views as risk_views
    from risks.models import Risk

    own_field(pmo, code="budget", label="Budget", type="money", order=5)
    own_field(pmo, code="gateway", label="Next gateway", type="date", order=6)
    own_field(pmo, code="sro", label="Senior owner", type="user", order=7)
    own_field(pmo, code="plan", label="Plan", type="link", order=8)
    own_field(pmo, code="sites", label="Sites", type="whole", order=9)
    own_field(pmo, code="notes", label="Notes", type="long_text", order=10)
    save_governed(
        CustomField(record="risk", code="exposure", label="Exposure", type="money", order=1), by=pmo, reason="Columns"
    )
    estates = body["programmes"]["EST"].workstreams.get()
    services.project_create(
        workstream=estates, name="Depot <north>", by=pmo, reason="From the tracker", effective=STARTED,
        custom={"lead-body": "County & district", "tier": "Tier 1", "ipa-score": "1234.5", "budget": "1250000",
                "gateway": "2025-03-04", "sro": pmo.pk, "plan": "https://example.org/plan?a=1&b=2", "sites": 12000,
                "notes": "Two lines\nof notes"},
    )  # fmt: skip
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    for code in ("EST", "DIG"):
        register = risk_services.programme_register(body["programmes"][code], by=pmo)
        for n in range(3):
            risk_services.risk_raise(
                register=register, title=f"{code} risk {n}", category=category, by=pmo, raised_on=STARTED,
                scores=risk_services.Scores((3, 3), (3, 2), (1, 1)),
            )  # fmt: skip
    risk_services.risk_close(risk=Risk.objects.get(title="DIG risk 0"), closed_reason="Mitigated", by=pmo)
    monkeypatch.setattr(risk_views, "REGISTER_PAGE_SIZE", 2)

    def same(html):
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))

    client.force_login(viewer)
    for url, params in (
        (reverse("workstreams:project_list"), {"sort": "-cf_ipa_score"}),
        (reverse("workstreams:project_list"), {"cf_tier": "Tier 1", "sort": "cf_budget"}),
        (reverse("workstreams:workstream_list"), {}),
        (reverse("risks:register_list"), {}),
        (reverse("risks:register_list"), {"page": 3}),
    ):
        with CaptureQueriesContext(connection) as queries:
            ours = client.get(url, params).content.decode()
        settings.DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"
        stock = client.get(url, params).content.decode()
        settings.DJANGO_TABLES2_TEMPLATE = "tables/table.html"
        assert same(ours) == same(stock), (url, params)
        if url.endswith(reverse("risks:register_list")) and not params.get("cf_tier"):
            # five open risks across the two registers, paged by the kept count: three pages, none counted
            assert not any(
                "COUNT(" in q["sql"].upper() and '"risks_risk"' in q["sql"] for q in queries.captured_queries
            )
            assert 'page=3"' in ours and 'page=4"' not in ours
            assert "DIG risk 0" not in ours
    projects = client.get(reverse("workstreams:project_list"), {"sort": "-cf_ipa_score"}).content.decode()
    for shown in ("Depot &lt;north&gt;", "County &amp; district", "1,234.5", "£1,250,000.00", "4 Mar 2025", "12,000",
                  pmo.get_full_name() or pmo.username):  # fmt: skip
        assert shown in projects, shown
    assert projects.index("Depot &lt;north&gt;") < projects.index("Shift patterns")  # 1,234.5 sorts above 100

    # The grid of the estates workstream offers the council's own levels in every cell, and nothing of another's;
    # the estates hub's Amber reads as chosen in its row.
    est = body["programmes"]["EST"]
    council = {level.code: level for level in body["scales"]["EST"].levels.all()}
    hub = body["projects"]["Estates hub"]
    services.status_update_submit(
        subject=hub, as_of=TODAY, by=pmo,
        ratings=[RatingInput(est.dimensions.get(code="overall"), council["AMBER"], "Contractor short")],
    )  # fmt: skip
    client.force_login(pmo)
    grid = client.get(reverse("workstreams:workstream_grid", args=[estates.pk])).content.decode()
    offered = ["Not rated", "Blue", "Green", "Amber (needs a reason)", "Red (needs a reason)"]
    rows = grid.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    assert len(rows) == 1 + estates.projects.count()
    chosen = []
    for row in rows:
        selects = re.findall(r"<select[^>]*>(.*?)</select>", row, re.S)
        assert selects
        for select in selects:
            options = re.findall(r"<option([^>]*)>(.*?)</option>", select, re.S)
            assert [re.sub(r"\s+", " ", label).strip() for _, label in options] == offered
            chosen += [(row.split("</th>")[0], label.strip()) for attrs, label in options if "selected" in attrs]
    assert [label for where, label in chosen if label != "Not rated" and "Estates hub" in where] == [
        "Amber (needs a reason)"
    ]
    assert all("Estates hub" in where for where, label in chosen if label != "Not rated")
