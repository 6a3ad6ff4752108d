"""In the browser: a lead adds evidence with a file, the office accepts it and a viewer downloads it; the office
checks an Excel tracker, sees its problem placed, then imports the corrected file."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams.importer import template_workbook

pytestmark = pytest.mark.browser


def test_a_lead_adds_evidence_the_office_accepts_it_and_a_viewer_downloads_it(new_page, shipped_data, tmp_path):
    call_command("load_demo")
    from assurance import services
    from assurance.models import Driver
    from workstreams.models import Workstream

    driver = Driver.objects.get(title__startswith="Relevant HMICFRS recommendations on investigation")
    services.driver_link(
        driver=driver,
        item=Workstream.objects.get(name="Force Control Room"),
        by=None,
        reason="Control room practice answers it too",
    )
    pack = tmp_path / "control-room-pack.pdf"
    pack.write_bytes(b"%PDF-1.4\n% control room evidence\n")

    lead = new_page()
    sign_in(lead, "lead")
    lead.goto(driver.get_absolute_url())
    lead.get_by_role("link", name="Add evidence").click()
    lead.get_by_label("Summary").fill("Control room call-handling audit shows the new practice in use")
    lead.get_by_label("Provided on").fill("2022-06-15")
    lead.get_by_label("File").set_input_files(str(tmp_path / "control-room-pack.pdf"))
    lead.get_by_role("button", name="Save").click()
    expect(lead.get_by_role("status").first).to_contain_text("Evidence added")

    office = new_page()
    sign_in(office, "pmo")
    office.goto(driver.get_absolute_url())
    office.get_by_role("listitem").filter(has_text="Control room call-handling audit").get_by_role(
        "link", name="Accept"
    ).click()
    office.get_by_role("button", name="Accept").click()
    expect(office.get_by_role("region", name="Evidence")).to_contain_text("Accepted")

    # Only accepted evidence reaches viewers; the lead's file is now accepted.
    reader = new_page()
    sign_in(reader, "viewer")
    reader.goto(driver.get_absolute_url())
    expect(reader.get_by_role("link", name="Add evidence")).to_have_count(0)
    with reader.expect_download() as download:
        reader.get_by_role("link", name="control-room-pack.pdf").click()
    assert Path(download.value.path()).read_bytes() == pack.read_bytes()


def test_the_office_checks_a_tracker_sees_the_bad_cell_and_imports_the_fixed_file(new_page, shipped_data, tmp_path):
    call_command("load_demo")

    def tracker(level):
        book = load_workbook(io.BytesIO(template_workbook()))
        book["Programmes"].append(["NEW", "Neighbourhood programme", "Anyshire Police", "01/04/2022"])
        book["Workstreams"].append(["NEW", "Neighbourhoods", "", "01/04/2022", ""])
        book["Projects"].append(["NEW", "Neighbourhoods", "Ward profiles", "", "01/04/2022", "31/03/2023", "", ""])
        for month, value in (("30/04/2022", "Green"), ("31/05/2022", level)):
            book["Updates"].append(["NEW", "Neighbourhoods", "Ward profiles", month, "Overall", value, "Staff", ""])
        path = tmp_path / f"tracker-{level.replace('/', '-')}.xlsx"
        book.save(path)
        return path

    page = new_page()
    sign_in(page, "pmo")  # lands on My work
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="Import a tracker").click()
    page.get_by_label("Tracker (.xlsx)").set_input_files(str(tracker("Amber/ Red")))
    page.get_by_role("button", name="Upload").click()
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems).to_contain_text("Updates")
    expect(problems).to_contain_text("F (Level)")
    expect(problems).to_contain_text("“Amber/ Red” is not a level of Overall")

    page.get_by_role("link", name="Import another file").click()
    page.get_by_label("Tracker (.xlsx)").set_input_files(str(tracker("Amber")))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").first).to_contain_text("The file is valid. Would import 1 new programmes")
    page.get_by_role("button", name="Import it now").click()
    expect(page.get_by_role("status").first).to_contain_text("Imported 1 new programmes")
    page.get_by_role("link", name=re.compile("See what it made")).click()
    expect(page.get_by_role("link", name="NEW Neighbourhood programme")).to_be_visible()
