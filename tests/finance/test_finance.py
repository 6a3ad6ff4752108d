"""Money by UK financial year: the office and the leads enter each item's budget, actuals and forecast by month;
the programme and its workstreams show them rolled up against the programme's tolerance and its approved
business-case funding; every figure keeps who, when and why and can be read as at a past date; the office's
workbook comes in strictly and goes out in the same columns."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from finance import services
from finance.models import FinanceLine, Tolerance
from finance.selectors import year_position, year_with_children
from finance.years import FinancialYear
from tests.querycounts import assert_pinned
from workstreams.importer.register import run_import, template_workbook

pytestmark = pytest.mark.django_db

FY = FinancialYear(2026)


def months(*pairs):
    return {(month, kind): values for month, kind, values in pairs}


def test_the_financial_year_runs_april_to_march():
    assert str(FY) == "2026/27" and FinancialYear.of(date(2027, 3, 31)) == FY
    assert FinancialYear.of(date(2026, 3, 31)) == FinancialYear(2025)
    assert FY.months()[0] == date(2026, 4, 1) and FY.months()[-1] == date(2027, 3, 1)
    assert FinancialYear.parse("2026-27") == FinancialYear.parse("2026/2027") == FY
    for bad in ("2026/28", "26/27", "next year"):
        with pytest.raises(ValueError, match="write it as 2026/27"):
            FinancialYear.parse(bad)


def test_figures_roll_up_from_projects_to_workstreams_and_the_programme(portfolio, pmo):
    programme, ws_a, project_a = portfolio["programme"], portfolio["ws_a"], portfolio["project_a"]
    april, may = date(2026, 4, 1), date(2026, 5, 1)
    services.finance_year_save(
        subject=project_a, year=FY, by=pmo, reason="Phased budget",
        values=months((april, "capital", {"budget": Decimal("100000"), "actual": Decimal("90000")}),
                      (may, "capital", {"budget": Decimal("100000"), "forecast": Decimal("130000")})),
    )  # fmt: skip
    services.finance_year_save(
        subject=ws_a, year=FY, by=pmo, reason="Workstream team",
        values=months((april, "revenue", {"budget": Decimal("20000.50"), "actual": Decimal("20000.50")})),
    )  # fmt: skip
    project = year_position(project_a, FY)
    assert (project.total.budget, project.total.actual, project.total.outturn) == (200000, 90000, 220000)
    assert project.total.variance == 20000 and project.total.variance_percent == Decimal("10.0")
    whole = year_position(programme, FY)
    assert whole.total.budget == Decimal("220000.50") and whole.total.outturn == Decimal("240000.50")
    assert whole.by_kind["revenue"].budget == Decimal("20000.50")
    assert {child.name: figures.budget for child, figures in year_with_children(programme, FY)[1]} == {
        "Workstream A": Decimal("220000.50"),
        "Workstream B": 0,
    }
    assert "no tolerance is set" in whole.explanation
    services.tolerance_set(programme=programme, percent=Decimal(5), amount=Decimal(5000), by=pmo, reason="Agreed")
    whole = year_position(programme, FY)
    # 5% of £220,000.50 is £11,000.03 (larger than £5,000); £20,000 over is outside it.
    assert whole.outside_tolerance and whole.allowance == Decimal("11000.03")
    assert whole.explanation == (
        "2026/27: forecast outturn £240,000.50 against a budget of £220,000.50, £20,000 over (9.1%); outside the "
        "tolerance of £11,000.03 (5% of budget or £5,000, whichever is larger)."
    )


def test_the_year_read_with_its_children_is_the_year_read_alone_for_every_kind_of_item(portfolio, pmo):
    """The dashboard and the finance page read the position and each child's figures from one query: the same
    position as `year_position`, now and as at a date, for a programme, a workstream and a project."""
    from changeprog.effective import Moment

    programme, ws_a, project_a = portfolio["programme"], portfolio["ws_a"], portfolio["project_a"]
    april, may = date(2026, 4, 1), date(2026, 5, 1)
    for subject, figures in [
        (programme, months((april, "revenue", {"budget": Decimal(500)}))),
        (ws_a, months((april, "revenue", {"budget": Decimal("20000.50"), "actual": Decimal(300)}))),
        (project_a, months((april, "capital", {"budget": Decimal(1000)}), (may, "capital", {"forecast": Decimal(9)}))),
        (portfolio["project_b"], months((may, "capital", {"budget": Decimal(70), "actual": Decimal(80)}))),
    ]:
        services.finance_year_save(subject=subject, year=FY, by=pmo, reason="Set", values=figures)
    for subject in (programme, ws_a, project_a):
        for moment in (None, Moment(date(2020, 1, 1))):
            alone = year_position(subject, FY, moment=moment)
            together, children = year_with_children(subject, FY, moment=moment)
            assert together == alone, (subject, moment)
    _, children = year_with_children(programme, FY)
    assert [(c.name, f.budget, f.actual, f.outturn) for c, f in children] == [
        ("Workstream A", Decimal("21000.50"), 300, Decimal(309)),
        ("Workstream B", 70, 80, 80),
    ]
    assert [(c.name, f.budget) for c, f in year_with_children(ws_a, FY)[1]] == [("Project A", 1000)]
    assert year_with_children(project_a, FY)[1] == []


def test_every_figure_keeps_who_when_and_why_and_reads_as_at_a_past_date(portfolio, pmo, lead_a):
    from changeprog.effective import Moment

    project = portfolio["project_a"]
    april = date(2026, 4, 1)
    services.finance_year_save(
        subject=project, year=FY, by=pmo, reason="Approved at the board",
        values=months((april, "capital", {"budget": Decimal(1000)})), effective=date(2026, 4, 2),
    )  # fmt: skip
    services.finance_year_save(
        subject=project, year=FY, by=lead_a, reason="Invoice received",
        values=months((april, "capital", {"budget": Decimal(1000), "actual": Decimal(1200)})),
    )  # fmt: skip
    line = FinanceLine.objects.get()
    assert [(h.history_user, h.history_change_reason, h.actual) for h in line.history.order_by("history_id")] == [
        (pmo, "Approved at the board", None),
        (lead_a, "Invoice received", Decimal(1200)),
    ]
    then = year_position(project, FY, moment=Moment(date(2026, 4, 3)))
    assert then.total.actual == 0 and then.total.budget == 1000
    assert year_position(project, FY).total.actual == 1200
    # Saving the same figures again changes nothing and adds no history.
    assert services.finance_year_save(
        subject=project, year=FY, by=lead_a, reason="Again",
        values=months((april, "capital", {"budget": Decimal(1000), "actual": Decimal(1200)})),
    ) == 0  # fmt: skip
    assert line.history.count() == 2


def test_bad_figures_are_refused_and_nothing_is_saved(portfolio, pmo):
    project = portfolio["project_a"]
    with pytest.raises(Exception, match="not a month of 2026/27"):
        services.finance_year_save(
            subject=project, year=FY, by=pmo, reason="x",
            values=months((date(2026, 4, 1), "capital", {"budget": Decimal(1)}),
                          (date(2026, 3, 1), "capital", {"budget": Decimal(1)})),
        )  # fmt: skip
    with pytest.raises(Exception, match="budget cannot be negative"):
        services.finance_year_save(
            subject=project, year=FY, by=pmo, reason="x",
            values=months((date(2026, 4, 1), "capital", {"actual": Decimal(5)}),
                          (date(2026, 5, 1), "capital", {"budget": Decimal(-1)})),
        )  # fmt: skip
    assert not FinanceLine.objects.exists()


def grid_post(month_values, reason="Monthly figures", **extra):
    data = {"reason": reason, **extra}
    for (month, kind, value), amount in month_values.items():
        data[f"{kind}_{value}_{month:%Y_%m}"] = amount
    return data


def test_a_lead_enters_their_projects_figures_in_the_grid_and_another_lead_cannot(client, portfolio, lead_a, lead_b):
    project = portfolio["project_a"]
    url = reverse("finance:project_edit", args=[project.pk]) + "?year=2026/27"
    client.force_login(lead_a)
    page = client.get(url).content.decode()
    assert "aria-label" not in page or "Capital budget, April 2026" in page
    refused = client.post(url, grid_post({(date(2026, 4, 1), "capital", "budget"): "£5,000",
                                          (date(2026, 5, 1), "capital", "budget"): "-3",
                                          (date(2026, 6, 1), "capital", "actual"): "lots"}))  # fmt: skip
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Give the number without the £ sign." in text and "A budget cannot be negative." in text
    assert "Enter a number." in text
    assert not FinanceLine.objects.exists()
    saved = client.post(url, grid_post({(date(2026, 4, 1), "capital", "budget"): "5000",
                                        (date(2027, 3, 1), "revenue", "forecast"): "1250.75"}))  # fmt: skip
    assert saved.status_code == 302
    assert {(line.month, line.kind) for line in FinanceLine.objects.all()} == {
        (date(2026, 4, 1), "capital"),
        (date(2027, 3, 1), "revenue"),
    }
    client.force_login(lead_b)
    assert client.get(url).status_code == 403
    assert client.post(url, grid_post({(date(2026, 4, 1), "capital", "budget"): "1"})).status_code == 403
    assert FinanceLine.objects.get(month=date(2026, 4, 1)).budget == 5000


def test_a_save_over_a_colleagues_later_change_is_refused_with_what_they_did(client, portfolio, pmo, lead_a):
    project = portfolio["project_a"]
    url = reverse("finance:project_edit", args=[project.pk]) + "?year=2026/27"
    client.force_login(lead_a)
    seen = services.lines_version(project)
    services.finance_year_save(
        subject=project, year=FY, by=pmo, reason="Budget cut at the board",
        values=months((date(2026, 4, 1), "capital", {"budget": Decimal(4000)})),
    )  # fmt: skip
    refused = client.post(url, grid_post({(date(2026, 4, 1), "capital", "budget"): "5000"}, seen_version=seen))
    assert refused.status_code == 400
    assert "Budget cut at the board" in refused.content.decode() and "Nothing of yours was saved" in (
        refused.content.decode()
    )
    assert FinanceLine.objects.get().budget == 4000


def test_the_item_page_shows_the_position_and_links_each_figure_to_its_item(client, portfolio, pmo, viewer):
    programme, project = portfolio["programme"], portfolio["project_a"]
    services.finance_year_save(
        subject=project, year=FY, by=pmo, reason="x",
        values=months((date(2026, 4, 1), "capital", {"budget": Decimal(1000), "actual": Decimal(1500)})),
    )  # fmt: skip
    client.force_login(viewer)
    page = client.get(reverse("finance:programme", args=[programme.pk]) + "?year=2026/27").content.decode()
    assert "forecast outturn £1,500 against a budget of £1,000, £500 over (50.0%)" in page
    assert reverse("finance:workstream", args=[portfolio["ws_a"].pk]) in page
    assert "Enter figures" not in page  # a viewer reads
    bad = client.get(reverse("finance:programme", args=[programme.pk]) + "?year=someday")
    assert bad.status_code == 400 and "is not a financial year" in bad.content.decode()


def test_the_programme_page_sets_beside_its_budget_the_funding_its_approved_cases_give(client, portfolio, pmo):
    from assurance.models import BusinessCase, CaseStatus, FundingLine

    programme = portfolio["programme"]
    case = BusinessCase.objects.create(programme=programme, title="Programme Business Case", status=CaseStatus.APPROVED)
    FundingLine.objects.create(case=case, year="2026/27", kind="capital", amount=750000)
    FundingLine.objects.create(case=case, year="2027/28", kind="capital", amount=1)
    position = year_position(programme, FY)
    assert position.approved == {"capital": 750000} and position.approved_total == 750000
    client.force_login(pmo)
    assert "£750,000" in client.get(reverse("finance:programme", args=[programme.pk])).content.decode()


def finance_workbook(rows):
    book = load_workbook(io.BytesIO(template_workbook(__import__("finance.importer").importer.FinanceImport)))
    header = [cell.value for cell in book["Finance"][1]]
    for row in rows:
        book["Finance"].append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "finance.xlsx"
    return out


def test_the_finance_workbook_imports_strictly_by_sheet_row_and_column(portfolio, pmo):
    from finance.importer import FinanceImport

    code = portfolio["programme"].code
    bad = finance_workbook([
        {"Programme code": code, "Project": "Project A", "Financial year": "2026/27", "Month": "April",
         "Kind": "Capital", "Budget": "ten thousand"},
        {"Programme code": code, "Project": "Project A", "Financial year": "2026/27", "Month": "May 2026",
         "Kind": "Capital", "Budget": -500},
        {"Programme code": code, "Workstream": "Workstream A", "Financial year": "2026/27",
         "Month": date(2026, 3, 1), "Kind": "Revenue", "Actual": 10},
        {"Programme code": code, "Financial year": "2026-2028", "Month": "June", "Kind": "Capex", "Forecast": 1},
    ])  # fmt: skip
    result = run_import(FinanceImport, bad, by=pmo)
    found = {(p.row, p.column.split(" ")[-1].strip("()"), p.message) for p in result.problems}
    assert (2, "Budget", "“ten thousand” is not a number.") in found
    assert (3, "Budget", "Cannot be below 0; -500 is.") in found
    assert (4, "Month", "March 2026 is not in 2026/27 (April 2026 to March 2027).") in found
    assert any(row == 5 and column == "year" for row, column, _ in found)  # Financial year
    assert any(row == 5 and column == "Kind" for row, column, _ in found)
    assert all(p.sheet == "Finance" for p in result.problems)
    assert not FinanceLine.objects.exists()


def test_the_export_imports_back_and_the_same_file_twice_changes_nothing(client, portfolio, pmo):
    from finance.importer import FinanceImport

    good = finance_workbook([
        {"Programme code": portfolio["programme"].code, "Project": "Project A", "Financial year": "2026/27",
         "Month": "April", "Kind": "Capital", "Budget": 10000, "Actual": 9999.99},
        {"Programme code": portfolio["programme"].code, "Workstream": "Workstream B", "Financial year": "2026/27",
         "Month": date(2027, 2, 1), "Kind": "Revenue", "Forecast": 250},
    ])  # fmt: skip
    first = run_import(FinanceImport, good, by=pmo)
    assert first.saved and first.counts == {"monthly figures": 2}
    good.seek(0)
    assert run_import(FinanceImport, good, by=pmo).counts == {"monthly figures": 0}
    client.force_login(pmo)
    exported = client.get(reverse("finance:programme", args=[portfolio["programme"].pk]) + "?year=2026/27&export=xlsx")
    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2 and rows[0][2] == "Project A" and rows[0][7] == 9999.99
    back = Workbook()
    back.active.title = "Finance"
    for row in sheet.iter_rows():
        back.active.append([cell.value for cell in row])
    out = io.BytesIO()
    back.save(out)
    out.seek(0)
    out.name = "export.xlsx"
    again = run_import(FinanceImport, out, by=pmo)
    assert again.ok and again.counts == {"monthly figures": 0}
    assert FinanceLine.objects.count() == 2


def test_a_funding_rule_suggests_its_level_from_the_variance_against_tolerance(client, portfolio, pmo, rag):
    from changeprog.governance import save_governed
    from workstreams import status_rules
    from workstreams.models import StatusRule

    programme, project = portfolio["programme"], portfolio["project_a"]
    funding = programme.dimensions.get(code="funding")  # one of the organisation's default dimensions
    save_governed(
        StatusRule(dimension=funding, applies_to="project", name="overspend against tolerance", method="measure",
                   measure="finance-tolerance", steps="1 AMBER\n100 RED", otherwise_code="GREEN"),
        by=pmo, reason="Agreed",
    )  # fmt: skip
    services.tolerance_set(programme=programme, percent=Decimal(10), amount=None, by=pmo, reason="Agreed")
    today = timezone.localdate()
    month = date(today.year, today.month, 1)
    services.finance_year_save(
        subject=project, year=FinancialYear.of(today), by=pmo, reason="x",
        values=months((month, "capital", {"budget": Decimal(100000), "forecast": Decimal(125000)})),
    )  # fmt: skip
    suggestion = status_rules.suggest(project, today)[funding.pk]
    assert suggestion.level == rag["RED"]
    assert "£25,000 over (25.0%); outside the tolerance of £10,000" in suggestion.explanation
    assert suggestion.explanation.endswith("rule ‘overspend against tolerance’")
    # Offered on the record form with its explanation, never applied silently: a different level needs a reason.
    client.force_login(pmo)
    form = client.get(reverse("workstreams:project_record_update", args=[project.pk])).content.decode()
    assert "Its rule gives Red: " in form and "outside the tolerance of £10,000" in form


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_who_reads_the_finance_pages(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for name, pk in (("programme", portfolio["programme"].pk), ("project", portfolio["project_a"].pk)):
        assert client.get(reverse(f"finance:{name}", args=[pk])).status_code == status


def test_the_finance_page_costs_the_same_queries_at_any_size(client, portfolio, pmo):
    from tests.factories import make_project

    programme = portfolio["programme"]
    client.force_login(pmo)
    url = reverse("finance:programme", args=[programme.pk]) + "?year=2026/27"

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    for n in range(6):
        project = make_project(portfolio["ws_b"], by=pmo, name=f"More {n}")
        services.finance_year_save(
            subject=project, year=FY, by=pmo, reason="x",
            values={(m, "capital"): {"budget": Decimal(n + 1)} for m in FY.months()},
        )  # fmt: skip
    assert_pinned("finance:programme", [small, count()])
    edit = reverse("finance:project_edit", args=[portfolio["project_a"].pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(edit).status_code == 200
    assert_pinned("finance:project_edit", [len(captured), len(captured)])


def test_the_tolerance_is_the_offices_to_set_with_a_reason(client, portfolio, pmo, lead_a):
    url = reverse("finance:tolerance", args=[portfolio["programme"].pk])
    client.force_login(lead_a)
    assert client.get(url).status_code == 403
    client.force_login(pmo)
    assert client.post(url, {"reason": "x"}).status_code == 400
    assert client.post(url, {"percent": "5", "reason": "Set by the Chief Finance Officer"}).status_code == 302
    tolerance = Tolerance.objects.get()
    assert (
        tolerance.percent == 5 and tolerance.history.get().history_change_reason == "Set by the Chief Finance Officer"
    )
    assert timezone.localdate() - timedelta(days=1) < tolerance.history.get().effective_date + timedelta(days=1)
