"""In the browser: a workstream lead enters a project's figures for the year in the grid, a slip in the figures
is refused on its cell, and the programme's finance page shows the figures rolled up with the variance."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_lead_enters_a_projects_figures_and_the_programme_shows_them_rolled_up(new_page, demo):
    from finance.models import FinanceLine
    from workstreams.models import Project

    project = Project.objects.filter(workstream__programme=demo).order_by("name").first()
    page = new_page()
    sign_in(page, "pmo")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Finance").click()
    page.get_by_label("Financial year").fill("2026/27")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Enter figures for 2026/27").click()
    page.get_by_label("Capital budget, April 2026").fill("120000")
    page.get_by_label("Capital forecast, April 2026").fill("£150,000")
    page.get_by_label("Reason for these figures").fill("Approved phasing")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_text("Give the number without the £ sign.", exact=True)).to_be_visible()
    assert not FinanceLine.objects.exists()
    page.get_by_label("Capital forecast, April 2026").fill("150000")
    page.get_by_role("button", name="Save the figures").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the figures")
    line = FinanceLine.objects.get()
    assert (line.budget, line.forecast) == (Decimal(120000), Decimal(150000))

    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Finance", exact=True).click()
    page.get_by_label("Financial year").fill("2026/27")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_text(re.compile("forecast outturn £150,000 against a budget of £120,000, £30,000 over"))
    ).to_be_visible()
    page.get_by_role("link", name=project.workstream.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.workstream.name)


def test_a_lead_plans_a_milestone_sees_it_overdue_then_marks_it_achieved(new_page, demo):
    from datetime import timedelta

    from django.utils import timezone

    from workstreams.models import Milestone, Project

    project = Project.objects.filter(workstream__programme=demo).order_by("name").first()
    today = timezone.localdate()
    page = new_page()
    sign_in(page, "pmo")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Name").fill("Supplier contract signed")
    page.get_by_label("Baseline date").fill((today - timedelta(days=7)).isoformat())
    page.get_by_label("The committee must be told").check()
    page.get_by_label("Reason for this change").fill("Agreed plan")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Milestone “Supplier contract signed” added.")

    page.goto(f"/programmes/{demo.pk}/milestones/")
    page.get_by_label("Show", exact=True).select_option(label="Overdue")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row", name=re.compile("Supplier contract signed"))
    expect(row).to_contain_text("Overdue")
    row.get_by_role("link", name="Supplier contract signed").click()
    page.get_by_label("Status").select_option(label="Complete")
    page.get_by_label("Actual date").fill(today.isoformat())
    page.get_by_label("Reason for this change").fill("Signed this morning")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("saved")
    assert Milestone.objects.get().status == "complete"
    page.goto(f"/programmes/{demo.pk}/milestones/?show=overdue")
    expect(page.get_by_text("No milestones match this filter.")).to_be_visible()


def test_the_roadmap_is_read_with_the_keyboard_and_its_table(new_page, demo):
    from demo.finance import load_finance_demo
    from demo.portfolio import ensure_demo_users

    load_finance_demo(demo, ensure_demo_users("changeprog-demo"))
    page = new_page()
    sign_in(page, "viewer")
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Roadmap").click()
    roadmap = page.get_by_role("group", name=re.compile("^Roadmap of"))
    expect(roadmap).to_be_visible()
    table = page.get_by_role("table", name=re.compile("The roadmap as a table"))
    expect(table).to_contain_text("Public Contact & Engagement")
    expect(table).to_contain_text("Programme Business Case to the Executive: due 31 Jul 2022")
    first = roadmap.get_by_role("link").first
    first.focus()
    expect(first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/workstreams/" in page.url or "/programmes/" in page.url


def test_the_office_sets_the_tolerance_then_imports_the_finance_workbook(new_page, demo, tmp_path):
    import io

    from openpyxl import load_workbook

    from finance.importer import FinanceImport
    from finance.models import FinanceLine, Tolerance
    from workstreams.importer.register import template_workbook

    def workbook(budget):
        book = load_workbook(io.BytesIO(template_workbook(FinanceImport)))
        header = [cell.value for cell in book["Finance"][1]]
        row = {"Programme code": demo.code, "Financial year": "2026/27", "Month": "April", "Kind": "Capital",
               "Budget": budget, "Forecast": 1200}  # fmt: skip
        book["Finance"].append([row.get(h) for h in header])
        path = tmp_path / f"finance-{budget}.xlsx"
        book.save(path)
        return str(path)

    page = new_page()
    sign_in(page, "pmo")
    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Finance", exact=True).click()
    page.get_by_role("link", name="Finance tolerance").click()
    page.get_by_label("Percentage of the year's budget").fill("5")
    page.get_by_label("Reason for this change").fill("Set by the Chief Finance Officer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the finance tolerance")
    assert Tolerance.objects.get(programme=demo).percent == 5

    page.get_by_role("link", name="Import from Excel").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(workbook(-1000))
    page.get_by_role("button", name="Upload").click()
    problems = page.get_by_role("table", name="Problems by sheet, row and column")
    expect(problems).to_contain_text("Budget")
    expect(problems).to_contain_text("Cannot be below 0; -1000 is.")
    page.get_by_label(re.compile("Check only")).uncheck()
    page.get_by_label("Workbook (.xlsx)").set_input_files(workbook(1000))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported 1 monthly figures")
    line = FinanceLine.objects.get(programme=demo)
    assert (line.budget, line.forecast) == (1000, 1200)


def test_a_milestones_owner_is_chosen_by_typing_part_of_their_name(new_page, demo):
    """The owner field lists no one: typing fetches suggestions, and the one chosen is saved."""
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.get(username="lead")
    project = demo.workstreams.get(name="Force Control Room").projects.order_by("pk").first()
    page = new_page()
    sign_in(page, "pmo")
    page.goto(f"/projects/{project.pk}/milestones/new/")
    owner = page.get_by_label("Owner")
    assert page.locator("datalist#id_owner-people option").count() == 0
    owner.press_sequentially(lead.first_name[:3] or "lea", delay=40)
    suggestion = page.locator("datalist#id_owner-people option").first
    expect(suggestion).to_have_attribute("value", re.compile(r"\(lead\)$"))
    owner.fill(suggestion.get_attribute("value"))
    page.get_by_label("Name").fill("Picker milestone")
    page.get_by_label("Baseline date").fill("2030-01-31")
    page.get_by_label("Reason for this change").fill("Planned with the lead")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Picker milestone").first).to_be_visible()
    assert project.milestones.get(name="Picker milestone").owner == lead
