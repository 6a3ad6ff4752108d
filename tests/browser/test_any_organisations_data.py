"""In the browser, as a programme office from another body would work: its own fields on a project form and in the
list's filter; a rule's word on the record form and a contradicting level refused until it has a reason; a risk
register checked, its bad cell placed, then imported; and a personal API token that a script reads the portfolio
with."""

import io
import json
import re
import urllib.request
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_office_fills_in_an_own_field_and_filters_the_list_by_it(new_page, demo):
    from changeprog.governance import save_governed
    from changeprog.models import CustomField
    from workstreams.models import Project

    save_governed(
        CustomField(record="project", code="tier", label="Tier", type="choice", choices="Tier 1\nTier 2"),
        by=None,
        reason="The tracker's tiers",
    )
    project = Project.objects.filter(workstream__programme=demo).order_by("name").first()
    page = new_page()
    sign_in(page, "pmo")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Tier").select_option("Tier 2")
    page.get_by_label("Reason for this change").fill("Tiered at the portfolio board")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("status").first).to_contain_text("Saved the changes")
    expect(page.locator("dl").filter(has_text="Tier")).to_contain_text("Tier 2")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_label("Tier", exact=True).select_option("Tier 2")
    page.get_by_role("button", name=re.compile("Filter|Apply|Show")).first.click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=project.name)).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)


def test_the_record_form_says_what_the_rule_gives_and_wants_a_reason_to_differ(new_page, demo):
    from changeprog.governance import save_governed
    from workstreams.models import StatusRule, Workstream

    workstream = Workstream.objects.get(programme=demo, name="Force Control Room")
    delivery = demo.dimensions.get(code="delivery")  # the seed's headline dimension
    save_governed(
        StatusRule(dimension=delivery, applies_to="workstream", name="worst of its projects", method="worst"),
        by=None,
        reason="Agreed",
    )
    page = new_page()
    sign_in(page, "pmo")
    page.goto(workstream.get_absolute_url())
    page.get_by_role("link", name="Record update").click()
    suggestion = page.locator(".rule-suggestion").first
    expect(suggestion).to_contain_text("Its rule gives")
    expect(suggestion).to_contain_text("rule ‘worst of its projects’")
    gives = re.search(r"gives (\w+)", suggestion.inner_text()).group(1)
    other = "Green" if gives != "Green" else "Red"
    group = page.get_by_role("group", name=f"{delivery.name} this period")
    group.get_by_role("radio", name=other, exact=True).check()
    page.get_by_label("Reason", exact=True).fill("")
    for label in page.get_by_label(re.compile("^Reason for ")).all():
        label.fill("Carried over")  # the other dimensions keep last period's levels, with a reason each
    page.get_by_label(f"Reason for {delivery.name}").fill("")
    page.get_by_label("Status as at").fill(date.today().isoformat())
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("alert").first).to_contain_text("Say why you rate it otherwise")
    page.get_by_label(f"Reason for {delivery.name}").fill("The projects' delays do not touch the control room")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("status").first).to_contain_text("Update recorded for Force Control Room.")


def test_the_office_checks_a_risk_register_then_imports_it(new_page, demo, tmp_path):
    from risks.importer import RiskRegisterImport
    from risks.models import Risk
    from risks.services import programme_register
    from workstreams.importer.register import template_workbook

    register = programme_register(demo)

    def register_file(impact):
        book = load_workbook(io.BytesIO(template_workbook(RiskRegisterImport)))
        header = [cell.value for cell in book["Risks"][1]]
        row = {"Register": register.code, "Title": "Supplier of the new control room system fails",
               "Category": "financial", "Inherent likelihood": 4, "Inherent impact": 4, "Current likelihood": 3,
               "Current impact": impact, "Target likelihood": 1, "Target impact": 2}  # fmt: skip
        book["Risks"].append([row.get(h) for h in header])
        path = tmp_path / f"register-{impact}.xlsx"
        book.save(path)
        return path

    page = new_page()
    sign_in(page, "pmo")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Risks").click()
    page.get_by_role("link", name="Import from Excel").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(register_file(9)))
    page.get_by_role("button", name="Upload").click()
    problems = page.get_by_role("table", name="Problems by sheet, row and column")
    expect(problems).to_contain_text("Current impact")
    expect(problems).to_contain_text("Must be from 1 to 5; 9 is not.")

    page.get_by_label("Workbook (.xlsx)").set_input_files(str(register_file(4)))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").first).to_contain_text("Would import 1 risks")
    page.get_by_label(re.compile("Check only")).uncheck()
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(register_file(4)))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported 1 risks")
    assert Risk.objects.get(title__startswith="Supplier of the new control room").current_score == 12


def test_a_viewer_makes_a_token_and_a_script_reads_the_projects_with_it(new_page, demo, live_server):
    page = new_page()
    sign_in(page, "viewer")
    page.get_by_role("link", name="API access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API access")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("status").first).to_contain_text("Your new API token is below")
    key = page.locator("#api-token").inner_text().strip()
    request = urllib.request.Request(  # noqa: S310 - the test's own server
        f"{live_server.url}/api/v1/projects/?programme={demo.pk}", headers={"Authorization": f"Token {key}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the test's own server
        data = json.loads(answer.read())
    assert data["count"] >= 10
    assert {"name", "headline", "custom", "stage"} <= set(data["results"][0])

    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    try:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310 - the test's own server
        raise AssertionError("A revoked token still read the API")
    except urllib.error.HTTPError as refused:
        assert refused.code == 401


def test_the_office_records_the_portfolio_status_then_publishes_its_paper(new_page, demo):
    from changeprog.governance import save_governed
    from reporting.models import PortfolioPaper
    from workstreams import services
    from workstreams.models import Portfolio
    from workstreams.selectors import portfolio_overview

    portfolio = save_governed(Portfolio(code="CHG", name="Force change portfolio"), by=None, reason="Set up")
    services.item_update(item=demo, changes={"portfolio": portfolio}, by=None, reason="Reported in it")
    rollup = portfolio_overview(portfolio).rollup
    page = new_page()
    sign_in(page, "pmo")
    page.goto(portfolio.get_absolute_url())
    page.get_by_role("link", name="Record its status").click()
    expect(page.get_by_role("heading", name=re.compile("roll up to"))).to_be_visible()
    other = rollup.scale.levels.filter(is_rating=True).exclude(code=rollup.code).first()
    page.get_by_label("Level").select_option(label=other.label)
    page.get_by_label("Summary").fill("The programme is affordable within the medium-term plan.")
    page.get_by_role("button", name="Record status").click()
    expect(page.get_by_role("alert").first).to_contain_text("say why it differs")
    page.get_by_label("Why it differs from its programmes").fill("The Funding gap closed at the budget setting.")
    page.get_by_role("button", name="Record status").click()
    expect(page.get_by_role("status").first).to_contain_text("Status recorded for Force change portfolio")
    expect(page.get_by_role("note", name=re.compile("Differs"))).to_contain_text(
        "The Funding gap closed at the budget setting."
    )

    page.get_by_role("link", name="Papers").click()
    page.get_by_label("Addressed to").fill("Police and Crime Panel")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("Published")
    row = page.get_by_role("table").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Police and Crime Panel")
    paper = PortfolioPaper.objects.get()
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("^PDF")).click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == bytes(paper.pdf)
