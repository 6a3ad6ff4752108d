"""The organisation's own fields: defined in the admin, typed and checked everywhere, governed with history, on
forms and pages, filtered, sorted and exported in the lists."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from changeprog import custom_fields
from changeprog.governance import save_governed
from changeprog.models import CustomField
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Project

pytestmark = pytest.mark.django_db


def define(record="project", **kwargs):
    kwargs.setdefault("code", kwargs["label"].lower().replace(" ", "-"))
    return save_governed(CustomField(record=record, **kwargs), by=None, reason="Set up the tracker's fields")


@pytest.fixture
def tracker_fields(db):
    """A major-projects tracker's columns: who leads, the government reference, a tier, a third-party score,
    whole-life cost, the gateway date, the senior responsible owner and a link to the business case."""
    return {
        "lead_body": define(label="Lead body", type="text", required=True, order=1),
        "reference": define(label="GMPP reference", type="text", order=2),
        "tier": define(label="Tier", type="choice", choices="Tier 1\nTier 2\nTier 3", order=3),
        "score": define(label="IPA score", type="whole", order=4),
        "cost": define(label="Whole-life cost", type="money", order=5),
        "gateway": define(label="Next gateway", type="date", order=6),
        "sro": define(label="SRO", type="user", order=7),
        "case": define(label="Business case", type="link", order=8),
    }


def edit_form(project, custom=None, **values):
    form = {
        "name": project.name,
        "description": project.description,
        "national": "",
        "start_date": "",
        "planned_closure_date": "",
        "reason": "Tracker fields filled in",
    }
    form.update(values)
    form.update({f"custom__{code}": value for code, value in (custom or {}).items()})
    return form


def test_a_project_edit_keeps_typed_values_with_who_and_why(client, pmo, portfolio, tracker_fields, viewer):
    project = portfolio["project_a"]
    client.force_login(pmo)
    page = client.get(reverse("workstreams:project_edit", args=[project.pk])).content.decode()
    assert "Whole-life cost" in page and "GMPP reference" in page
    response = client.post(
        reverse("workstreams:project_edit", args=[project.pk]),
        edit_form(
            project,
            {
                "lead-body": "Home Office",
                "tier": "Tier 2",
                "ipa-score": "3",
                "whole-life-cost": "1250000.5",
                "next-gateway": "2027-03-31",
                "sro": str(viewer.pk),
                "business-case": "https://example.org/case",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.custom == {
        "lead-body": "Home Office",
        "tier": "Tier 2",
        "ipa-score": 3,
        "whole-life-cost": "1250000.50",
        "next-gateway": "2027-03-31",
        "sro": viewer.pk,
        "business-case": "https://example.org/case",
    }
    row = project.history.latest("history_date")
    assert row.history_user == pmo and row.history_change_reason == "Tracker fields filled in"
    page = client.get(project.get_absolute_url()).content.decode()
    assert "£1,250,000.50" in page and "31 Mar 2027" in page and viewer.get_full_name() in page
    assert "not given" in page  # the GMPP reference is empty, and the page says so


def test_codes_with_dashes_reach_the_form_and_the_list(client, pmo, portfolio, tracker_fields):
    # Codes made from labels carry dashes: the form's field names keep them, the lists' filters use underscores.
    client.force_login(pmo)
    form = client.get(reverse("workstreams:project_edit", args=[portfolio["project_a"].pk])).context["form"]
    assert {"custom__lead-body", "custom__whole-life-cost"} <= set(form.fields)
    filters = client.get(reverse("workstreams:project_list")).context["filter"].form.fields
    assert {"cf_lead_body", "cf_whole_life_cost_min", "cf_whole_life_cost_max"} <= set(filters)


def test_bad_values_are_refused_by_field_and_nothing_is_saved(client, pmo, portfolio, tracker_fields):
    project = portfolio["project_a"]
    client.force_login(pmo)
    response = client.post(
        reverse("workstreams:project_edit", args=[project.pk]),
        edit_form(
            project,
            {
                "lead-body": "",
                "tier": "Tier 9",
                "ipa-score": "three",
                "whole-life-cost": "12.345",
                "business-case": "not a link",
            },
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {
        "custom__lead-body",
        "custom__tier",
        "custom__ipa-score",
        "custom__whole-life-cost",
        "custom__business-case",
    }
    project.refresh_from_db()
    assert project.custom == {}


def test_the_model_refuses_wrong_values_from_any_way_in(portfolio, pmo, tracker_fields):
    project = portfolio["project_a"]
    for bad in (
        {"tier": "Tier 9"},
        {"ipa-score": "3"},
        {"whole-life-cost": "1.234"},
        {"next-gateway": "31/03/2027"},
        {"sro": 999_999},
        {"no-such-field": "x"},
    ):
        with pytest.raises(ValidationError) as refused:
            services.item_update(item=project, changes={"custom": bad}, by=pmo, reason="Try")
        assert "custom" in refused.value.message_dict
    project.refresh_from_db()
    assert project.custom == {}


def test_values_are_history_and_read_as_at_a_date(client, pmo, portfolio, tracker_fields, viewer):
    project = portfolio["project_a"]
    earlier = timezone.localdate() - timedelta(days=30)
    services.item_update(
        item=project,
        changes={"custom": {"lead-body": "Force", "tier": "Tier 3"}},
        by=pmo,
        reason="First set",
        effective=earlier,
    )
    project.refresh_from_db()
    services.item_update(
        item=project, changes={"custom": {"lead-body": "Force", "tier": "Tier 1"}}, by=pmo, reason="Re-tiered"
    )
    client.force_login(viewer)
    then = client.get(project.get_absolute_url(), {"as_at": (earlier + timedelta(days=1)).isoformat()})
    now = client.get(project.get_absolute_url())
    assert "Tier 3" in then.content.decode() and "Tier 1" not in then.content.decode()
    assert "Tier 1" in now.content.decode()
    reasons = list(project.history.values_list("history_change_reason", flat=True))
    assert "Re-tiered" in reasons and "First set" in reasons


def test_someone_elses_later_change_is_not_overwritten(client, pmo, portfolio, tracker_fields):
    project = portfolio["project_a"]
    client.force_login(pmo)
    opened = client.get(reverse("workstreams:project_edit", args=[project.pk])).context["form"]
    services.item_update(
        item=project, changes={"custom": {"lead-body": "Council", "tier": "Tier 1"}}, by=pmo, reason="Meanwhile"
    )
    response = client.post(
        reverse("workstreams:project_edit", args=[project.pk]),
        edit_form(project, {"lead-body": "Force"}, seen_version=opened.initial["seen_version"]),
    )
    assert response.status_code == 400
    assert "after you opened this form" in response.content.decode()
    project.refresh_from_db()
    assert project.custom["lead-body"] == "Council"


def test_the_project_list_filters_by_tier_sorts_by_score_and_exports_the_columns(
    client, pmo, portfolio, tracker_fields, viewer
):
    names = []
    for index, (tier, score) in enumerate([("Tier 1", 7), ("Tier 2", 12), ("Tier 1", 30), ("Tier 1", 4)]):
        project = services.project_create(
            workstream=portfolio["ws_a"],
            name=f"Tracked {index}",
            by=pmo,
            reason="Imported",
            custom={"lead-body": "Force", "tier": tier, "ipa-score": score, "whole-life-cost": "1000.00"},
        )
        names.append(project.name)
    client.force_login(viewer)
    url = reverse("workstreams:project_list")
    page = client.get(url, {"cf_tier": "Tier 1", "sort": "-cf_ipa_score"})
    shown = [row.name for row in page.context["table"].page.object_list.data]
    # Numbers sort as numbers (30 before 7), and only Tier 1 is listed.
    assert shown == ["Tracked 2", "Tracked 0", "Tracked 3"]
    ranged = client.get(url, {"cf_ipa_score_min": "5", "cf_ipa_score_max": "12"}).context["table"]
    assert sorted(row.name for row in ranged.page.object_list.data) == ["Tracked 0", "Tracked 1"]
    rows = [
        list(r)
        for r in load_workbook(
            io.BytesIO(client.get(url, {"cf_tier": "Tier 2", "export": "xlsx"}).content)
        ).active.iter_rows(values_only=True)
    ]
    header = rows[0]
    assert {"Lead body", "Tier", "IPA score", "Whole-life cost", "SRO"} <= set(header)
    body = dict(zip(header, rows[1], strict=True))
    assert body["Tier"] == "Tier 2" and body["IPA score"] == 12 and Decimal(str(body["Whole-life cost"])) == 1000


def test_a_bad_filter_value_is_explained_not_an_error(client, viewer, tracker_fields):
    client.force_login(viewer)
    response = client.get(reverse("workstreams:project_list"), {"cf_tier": "Tier 9", "cf_ipa_score_min": "lots"})
    assert response.status_code == 400
    assert set(response.context["filter"].form.errors) == {"cf_tier", "cf_ipa_score_min"}


def test_the_list_costs_the_same_queries_with_custom_columns_at_any_size(
    client, pmo, portfolio, tracker_fields, viewer, django_assert_max_num_queries
):
    services.item_update(
        item=portfolio["project_a"], changes={"custom": {"lead-body": "Force", "sro": pmo.pk}}, by=pmo, reason="Set"
    )
    client.force_login(viewer)
    url = reverse("workstreams:project_list")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    for index in range(30):
        services.project_create(
            workstream=portfolio["ws_b"],
            name=f"More {index}",
            by=pmo,
            reason="More",
            custom={"lead-body": "Force", "sro": viewer.pk},
        )
    assert_pinned("project list with custom fields", [small, count()])


def test_a_risk_and_a_benefit_carry_their_own_fields(pmo, portfolio):
    define(record="risk", label="Third-party score", type="decimal")
    define(record="benefit", label="Cashable from", type="date")
    assert [f.label for f in custom_fields.fields_for("risk")] == ["Third-party score"]
    assert [f.label for f in custom_fields.fields_for("benefit")] == ["Cashable from"]
    assert custom_fields.fields_for("project") == []


def test_a_changed_label_renames_the_column_and_keeps_the_values(pmo, portfolio, tracker_fields):
    project = portfolio["project_a"]
    services.item_update(item=project, changes={"custom": {"lead-body": "Force"}}, by=pmo, reason="Set")
    field = tracker_fields["lead_body"]
    field.label = "Lead organisation"
    save_governed(field, by=pmo, reason="The board's wording")
    project = Project.objects.get(pk=project.pk)
    [shown] = [row for row in custom_fields.rows_for("project", project) if row.field.code == "lead-body"]
    assert (shown.field.label, shown.text) == ("Lead organisation", "Force")


@pytest.mark.parametrize(
    ("type_", "cell", "stored", "problem"),
    [
        ("whole", 12, 12, None),
        ("whole", "12", 12, None),
        ("whole", 3.5, None, "not a whole number"),
        ("whole", "12 approx", None, "not a whole number"),
        ("money", "£1,250,000.50", "1250000.50", None),
        ("money", 12.345, None, "fractions of a penny"),
        ("money", "lots", None, "not a number"),
        ("decimal", "0.125", "0.125", None),
        ("date", date(2027, 3, 31), "2027-03-31", None),
        ("date", "31/03/2027", "2027-03-31", None),
        ("date", "next March", None, "not a date"),
        ("choice", "Tier 1", "Tier 1", None),
        ("choice", "tier 1", None, "must be one of"),
        ("link", "https://example.org", "https://example.org", None),
        ("link", "example", None, "web address"),
    ],
)
def test_a_spreadsheet_cell_is_read_strictly(db, type_, cell, stored, problem):
    field = CustomField(
        record="project", code="f", label="F", type=type_, choices="Tier 1\nTier 2" if type_ == "choice" else ""
    )
    value, why = custom_fields.parse_cell(field, cell, {})
    assert value == stored
    assert (why is None) if problem is None else (problem in why)


def _tracker_with_own_columns(values_for_row):
    """The import template (which now carries the own fields' columns), with one programme, one workstream and
    two projects whose own columns hold `values_for_row(n)`."""
    from workstreams.importer import template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    header = [cell.value for cell in book["Projects"][1]]
    book["Programmes"].append(["OWN", "Own fields programme", "Anyshire County Council", "01/04/2024"])
    book["Workstreams"].append(["OWN", "Estates", "", date(2024, 4, 1), "Active"])
    for n in range(2):
        row = dict.fromkeys(header)
        row.update({"Programme code": "OWN", "Workstream": "Estates", "Name": f"Site {n}"})
        row.update(values_for_row(n))
        book["Projects"].append([row[h] for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_tracker_import_reads_own_fields_by_header(pmo, tracker_fields, viewer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workstreams.importer import import_tracker

    content = _tracker_with_own_columns(
        lambda n: {
            "Lead body": "Home Office" if n else "Force",
            "Tier": f"Tier {n + 1}",
            "IPA score": 10 + n,
            "Whole-life cost": 2_500_000.25,
            "Next gateway": date(2027, 1, 31),
            "SRO": viewer.get_username(),
        }
    )
    result = import_tracker(SimpleUploadedFile("own.xlsx", content), by=pmo, source="own.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    site = Project.objects.get(name="Site 1")
    assert site.custom == {
        "lead-body": "Home Office",
        "tier": "Tier 2",
        "ipa-score": 11,
        "whole-life-cost": "2500000.25",
        "next-gateway": "2027-01-31",
        "sro": viewer.pk,
    }


def test_bad_own_field_cells_are_refused_by_sheet_row_and_column(pmo, tracker_fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from workstreams.importer import import_tracker

    content = _tracker_with_own_columns(
        lambda n: {"Lead body": "" if n else "Force", "Tier": "Tier 7", "IPA score": "about 3", "SRO": "nobody"}
    )
    result = import_tracker(SimpleUploadedFile("bad.xlsx", content), by=pmo, source="bad.xlsx")
    problems = [str(p) for p in result.problems]
    assert any("Projects, row 3" in p and "(Lead body)" in p and "required" in p for p in problems), problems
    assert sum("(Tier)" in p and "must be one of Tier 1, Tier 2, Tier 3" in p for p in problems) == 2
    assert sum("(IPA score)" in p and "not a whole number" in p for p in problems) == 2
    assert sum("(SRO)" in p and "not a ChangeProg user name" in p for p in problems) == 2
    assert not Project.objects.filter(name__startswith="Site").exists()


def test_the_template_offers_the_own_columns_required_ones_underlined(tracker_fields):
    from workstreams.importer import template_workbook

    sheet = load_workbook(io.BytesIO(template_workbook()))["Projects"]
    cells = {cell.value: cell for cell in sheet[1]}
    assert {"Lead body", "Tier", "IPA score", "Whole-life cost"} <= set(cells)
    assert cells["Lead body"].font.underline == "single" and cells["Tier"].font.underline is None


def test_a_papers_project_table_shows_own_columns_as_at_the_meeting(pmo, portfolio, tracker_fields):
    from reporting.compose import compose
    from reporting.models import Board, ReportTemplate, TemplateSection
    from reporting.services import report_create_draft

    project = portfolio["project_a"]
    services.item_update(
        item=project,
        changes={"custom": {"lead-body": "Force", "tier": "Tier 2", "whole-life-cost": "1500000.00"}},
        by=pmo,
        reason="From the tracker",
        effective=date(2022, 5, 1),
    )
    project.refresh_from_db()
    services.item_update(
        item=project, changes={"custom": {"lead-body": "Force", "tier": "Tier 1"}}, by=pmo, reason="Re-tiered"
    )
    template = ReportTemplate.objects.create(name="With own columns")
    TemplateSection.objects.create(
        template=template,
        order=1,
        heading="Chosen",
        kind="generated",
        generator="projects-table",
        columns="name\ntier\nwhole-life-cost",
    )
    TemplateSection.objects.create(
        template=template, order=2, heading="Default", kind="generated", generator="projects-table"
    )
    tracker_fields["reference"].in_reports = True
    save_governed(tracker_fields["reference"], by=pmo, reason="Committees ask for it")
    board = Board.objects.create(name="Major projects board", template=template)
    report = report_create_draft(
        board=board, programme=portfolio["programme"], meeting_date=date(2022, 6, 1), comparison_date=None, by=pmo
    )
    sections = {s["heading"]: s["blocks"] for s in compose(report)["sections"]}
    [chosen] = sections["Chosen"]
    assert chosen["columns"] == ["Project", "Tier", "Whole-life cost"]
    row = next(r for r in chosen["rows"] if r[0]["text"] == project.name)
    # As at the meeting: the tier then, not today's.
    assert [c["text"] for c in row] == [project.name, "Tier 2", "£1,500,000.00"]
    [default] = sections["Default"]
    assert default["columns"][-1] == "GMPP reference"


def test_board_cards_show_the_fields_chosen_for_them(client, pmo, portfolio, tracker_fields, viewer):
    tracker_fields["tier"].on_board = True
    save_governed(tracker_fields["tier"], by=pmo, reason="Show the tier on the board")
    services.item_update(
        item=portfolio["project_a"],
        changes={"custom": {"lead-body": "Council", "tier": "Tier 3"}},
        by=pmo,
        reason="Set",
    )
    client.force_login(viewer)
    page = client.get(reverse("workstreams:board", args=[portfolio["programme"].pk])).content.decode()
    assert "Tier:</dt>" in page and "Tier 3" in page
    assert "Lead body:</dt>" not in page  # not chosen for the cards


def test_the_risk_register_filters_sorts_and_exports_a_risks_own_field(client, pmo, portfolio, viewer):
    from risks import services as risk_services
    from risks.models import RiskScheme

    define(record="risk", label="Third-party score", code="third-party", type="decimal")
    scheme = RiskScheme.objects.get(is_current=True)
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    for title, score in (("Low", "2.5"), ("High", "17.25"), ("Middle", "9")):
        risk_services.risk_raise(
            register=register,
            title=title,
            category=scheme.categories.get(code="financial"),
            scores=risk_services.Scores((3, 3), (3, 3), (1, 1)),
            by=pmo,
            custom={"third-party": score},
        )
    client.force_login(viewer)
    url = reverse("risks:register_list")
    table = client.get(url, {"sort": "-cf_third_party"}).context["table"]
    assert [r.title for r in table.page.object_list.data] == ["High", "Middle", "Low"]
    table = client.get(url, {"cf_third_party_min": "5"}).context["table"]
    assert sorted(r.title for r in table.page.object_list.data) == ["High", "Middle"]
    sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Third-party score")
    assert sorted(Decimal(str(r[column])) for r in rows[1:]) == [Decimal("2.5"), Decimal("9"), Decimal("17.25")]
