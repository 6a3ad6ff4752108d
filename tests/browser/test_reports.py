"""The programme office prepares and publishes a committee paper in the browser; a viewer reads it."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.portfolio import ensure_demo_users
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(shipped_data):
    call_command("load_demo")
    ensure_demo_users("changeprog-demo")


def test_programme_office_drafts_edits_and_publishes_the_july_paper_and_a_viewer_reads_it(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Audit Committee").click()
    page.get_by_role("link", name="New report").click()
    page.get_by_label("Programme").select_option(label="T2025 Service Improvement Programme")
    page.get_by_label("Meeting date").fill("2022-07-01")
    page.get_by_label("Comparison date").fill("2022-06-01")
    page.get_by_label("Signed by").fill("Mark Webster")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Draft started for Audit Committee.")
    expect(page.get_by_role("heading", name="5 Workstream Updates")).to_be_visible()

    page.get_by_role("link", name="Edit Purpose").click()
    page.get_by_label("Text").fill(
        "The purpose of the report is to update members on the progress of the T2025 programme."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".report-paragraph").first).to_contain_text("1.1")
    expect(page.locator(".report-paragraph").first).to_contain_text("progress of the T2025 programme.")
    page.get_by_role("link", name="Publish…").click()
    # The data-quality gate: the data has items without an update this month and closed work whose
    # drivers have no accepted evidence. Publishing without acknowledging them is refused.
    stale = page.get_by_role("group", name=re.compile(r"No update this period \(\d+\)"))
    expect(stale).to_contain_text("Public Contact & Engagement")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Fix these, or acknowledge them")
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Publish").click()
    # Publishing lays the paper out in every format once; give it time on a loaded machine.
    expect(page.get_by_role("status").first).to_contain_text("as version 1. It is now frozen as shown", timeout=30_000)
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Data quality acknowledged when it was published")
    expect(history).to_contain_text("Published as version 1; data quality acknowledged: No update this period")
    expect(page.get_by_role("link", name="Edit Purpose")).to_have_count(0)
    report_url = page.url

    reader = new_page()
    sign_in(reader, "viewer")
    reader.goto("/reports/")
    reader.get_by_role("link", name="Audit Committee").click()
    expect(reader.get_by_role("link", name="New report")).to_have_count(0)
    reader.get_by_role("link", name="Cleveland Police Service Improvement Programme").click()
    assert reader.url == report_url
    expect(reader.get_by_role("heading", name="1 Purpose")).to_be_visible()
    expect(reader.locator(".report-signed")).to_contain_text("Mark Webster")
    with reader.expect_download() as download_info:
        reader.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    from reporting.models import Board

    new_report = f"/reports/boards/{Board.objects.get(name='Audit Committee').pk}/new/"
    assert reader.request.get(new_report).status == 403


def test_the_office_supersedes_the_june_paper_from_a_fresh_suggestion_and_a_viewer_takes_a_board_pack(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")
    page.goto("/reports/")
    page.get_by_role("link", name="Audit Committee").click()
    page.get_by_role("link", name="Cleveland Police Change Programme").first.click()
    expect(page.get_by_role("status").first).to_contain_text("version 1")
    june_url = page.url
    page.get_by_role("button", name="Start a new draft to supersede it").click()
    page.get_by_role("link", name="Edit Conclusions").click()
    suggestion = page.get_by_role("region", name=re.compile("Suggestion from the data as at 1 June 2022"))
    expect(suggestion).to_be_visible()
    page.get_by_role("link", name="Start from the suggestion").click()
    expect(page.get_by_role("status").first).to_contain_text("The box below holds the suggestion")
    expect(page.get_by_label("Text")).to_have_value(re.compile("currently at Red status"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved Conclusions.")
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("checkbox").first).to_be_visible()  # the gate's page has loaded
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("as version 2", timeout=30_000)

    reader = new_page()
    sign_in(reader, "viewer")
    reader.goto(june_url)
    expect(reader.get_by_role("status").first).to_contain_text("Superseded")
    reader.get_by_role("link", name="Board pack…").click()
    reader.get_by_role("checkbox", name="Risk register extract").check()
    with reader.expect_download() as download_info:
        reader.get_by_role("button", name="Make the board pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-board-pack.pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
