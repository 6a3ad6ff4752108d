"""People reading the programme in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from demo.portfolio import FCR_AMBER, ORIGINAL_WORKSTREAMS, RM_RED
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

ORIGINAL = ORIGINAL_WORKSTREAMS


def test_anonymous_visitor_is_sent_to_sign_in_and_lands_on_the_page_they_asked_for(new_page, demo):
    page = new_page()
    page.goto(demo.get_absolute_url())
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("heading", name="Sign in to ChangeProg")).to_be_visible()
    sign_in(page, "pmo", go_to_login=False)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Service Improvement Programme")


def test_programme_office_sees_the_five_original_workstreams_with_status_colour_and_reason(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")  # lands on My work
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programmes").click()
    page.get_by_role("link", name="T2025 Service Improvement Programme").click()
    for name in ORIGINAL:
        expect(page.get_by_role("heading", name=name)).to_be_visible()

    fcr = page.locator("article", has=page.get_by_role("heading", name=re.compile("Force Control Room")))
    badge = fcr.locator(".status-badge").first
    expect(badge).to_have_text("Amber")
    expect(badge).to_have_css("background-color", "rgb(255, 191, 71)")
    expect(fcr).to_contain_text(FCR_AMBER)

    rm = page.locator("article", has=page.get_by_role("heading", name=re.compile("Resource Management")))
    expect(rm.locator(".status-badge").first).to_have_text("Red")
    expect(rm.locator(".status-badge").first).to_have_css("background-color", "rgb(212, 53, 28)")
    expect(rm).to_contain_text(RM_RED)

    programme_status = page.get_by_role("table", name="Programme status by dimension")
    expect(programme_status.get_by_role("row", name=re.compile("^Funding Red"))).to_be_visible()
    expect(programme_status.get_by_role("row", name=re.compile("^Risk Red"))).to_be_visible()


def test_viewer_follows_a_workstream_to_its_status_history_by_keyboard(new_page, demo):
    page = new_page()
    sign_in(page, "viewer")
    page.goto(demo.get_absolute_url())
    link = page.get_by_role("link", name="Force Control Room", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Force Control Room")
    history = page.locator("section", has=page.get_by_role("heading", name="Status history"))
    expect(history.get_by_role("heading", name="As at 1 Jun 2022")).to_be_visible()
    expect(history.get_by_role("heading", name="As at 14 Apr 2022")).to_be_visible()
    expect(history).to_contain_text("Recorded by Workstream Lead")
    expect(page.get_by_role("link", name="Record update")).to_have_count(0)


def test_the_office_lands_on_my_work_and_the_next_papers_gate_arrives_after(new_page, demo):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tests.builders import draft_paper

    pmo = get_user_model().objects.get(username="pmo")
    paper = draft_paper(demo, pmo, board="Audit Committee", meeting=timezone.localdate() + timedelta(days=14))
    page = new_page()
    sign_in(page, "pmo")  # lands on My work
    section = page.get_by_role("region", name="The next paper")
    expect(section).to_contain_text(paper.title)
    # The publish gate composes the paper: its findings replace the "checking" line once fetched.
    expect(section).to_contain_text(re.compile("the gate asks you to look at|finds nothing to look at"))
    expect(section).not_to_contain_text("Checking it against the publish gate")
    expect(section).not_to_have_attribute("aria-busy", "true")
    section.get_by_role("link", name="Open the publish gate").click()
    expect(page).to_have_url(re.compile(rf"/reports/{paper.pk}/publish/"))


def test_when_the_next_papers_gate_cannot_be_fetched_my_work_says_so_and_links_the_gate(new_page, demo):
    """A server error on the section fetched after the page: it stops being busy, says it could not check, and
    the link to the gate stays."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tests.builders import draft_paper

    pmo = get_user_model().objects.get(username="pmo")
    paper = draft_paper(demo, pmo, board="Audit Committee", meeting=timezone.localdate() + timedelta(days=14))
    page = new_page()
    page.route("**/reports/my-work/next-paper/", lambda route: route.fulfill(status=500, body="Server error"))
    sign_in(page, "pmo")
    section = page.get_by_role("region", name="The next paper")
    expect(section).to_contain_text("It could not be checked against the publish gate just now.")
    expect(section).to_have_attribute("aria-busy", "false")
    expect(section.get_by_role("status")).to_have_text("It could not be checked against the publish gate just now.")
    section.get_by_role("link", name="Open the publish gate").click()
    expect(page).to_have_url(re.compile(rf"/reports/{paper.pk}/publish/"))
