"""The programme office restructures the programme in the browser, as the seed's review did."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.portfolio import CLOSED_WITH_EVIDENCE, REVISED_WORKSTREAMS, load_demo
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

REVISED = REVISED_WORKSTREAMS


@pytest.fixture
def april_demo(shipped_data):
    """The demo as it stood after the April board, before its review."""
    programme, _ = load_demo(password="changeprog-demo", until="april")
    return programme


def column_headings(page):
    return page.locator(".board-column h3")


def test_programme_office_runs_the_seed_review_in_the_browser(new_page, april_demo):
    page = new_page()
    sign_in(page, "pmo")
    page.goto(april_demo.get_absolute_url())
    page.get_by_role("link", name="Programme review").click()

    for name in ("Vulnerability (Prevention/Engagement & Missing)", "Raising Investigation Standards"):
        page.get_by_label(f"Close {name}").check()
        page.get_by_label(f"Closure note for {name}").fill(CLOSED_WITH_EVIDENCE)
    for slot, name in enumerate(REVISED, start=1):
        page.get_by_label(f"New workstream {slot}", exact=True).fill(name)
    page.get_by_label("New workstream 3 is delivered through a national programme").check()
    for project in (
        "SOLH technology exploitation review",
        "Social Media technology exploitation review",
        "Use of Consumer Insights review",
    ):
        page.get_by_label(f"Move {project}").select_option(label="New workstream 1")
    page.get_by_label("Move Training and guidance for the use of Civil Orders").select_option(label="New workstream 4")
    page.get_by_label("Reason for the review").fill("Dependencies assessed and projects regrouped into workstreams")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("status")).to_have_text("Programme review recorded for Service Improvement Programme.")

    page.get_by_role("link", name="Programme board").click()
    for name in REVISED:
        expect(column_headings(page).filter(has_text=name)).to_have_count(1)
    expect(column_headings(page).filter(has_text="Vulnerability")).to_have_count(0)
    pce = page.locator(".board-column").filter(has=page.get_by_role("heading", name="Public Contact & Engagement"))
    expect(pce).to_contain_text("SOLH technology exploitation review")

    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("As at", exact=True).fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_role("button", name="Show").click()
    expect(column_headings(page).filter(has_text="Vulnerability (Prevention/Engagement & Missing)")).to_have_count(1)
    expect(column_headings(page).filter(has_text="Public Contact & Engagement")).to_have_count(0)


def test_the_demo_review_can_be_seen_as_at_the_april_board_and_after(new_page, shipped_data):
    programme, _ = load_demo(password="changeprog-demo")
    page = new_page()
    sign_in(page, "viewer")
    page.goto(f"/programmes/{programme.pk}/board/?as_at=2022-04-14")
    expect(column_headings(page)).to_have_count(5)
    expect(column_headings(page).filter(has_text="Raising Investigation Standards")).to_have_count(1)
    page.goto(f"/programmes/{programme.pk}/board/?as_at=2022-07-01")
    for name in REVISED:
        expect(column_headings(page).filter(has_text=name)).to_have_count(1)
    expect(column_headings(page).filter(has_text="Raising Investigation Standards")).to_have_count(0)
