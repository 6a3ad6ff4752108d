"""A chief officer reads the dashboard and follows a figure to the items behind it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_viewer_opens_the_dashboard_as_at_the_june_meeting_and_drills_into_a_count(new_page, shipped_data):
    call_command("load_demo")
    page = new_page()
    sign_in(page, "viewer")  # lands on My work
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="Dashboard for Service Improvement Programme").click()
    expect(page.get_by_role("heading", name="Service Improvement Programme: dashboard")).to_be_visible()
    page.get_by_role("textbox", name="As at").fill("2022-06-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status").first).to_contain_text("as it stood at the end of 1 Jun 2022")
    expect(page.get_by_role("region", name="What changed since the last meeting")).to_contain_text(
        "Force Change Board, 14 April 2022"
    )
    page.get_by_role("link", name="1 project at Amber").click()
    expect(page.get_by_role("heading", name="Service Improvement Programme: programme board")).to_be_visible()
    expect(page.locator("#board-content")).to_contain_text("FCR technology stabilisation")
    expect(page.locator("#board-content")).not_to_contain_text("Resource Management business design")
