"""The board at a laptop's 1366 px: every workstream in view without scrolling sideways; and first-visit hints
that stay hidden once read."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams.models import Workstream

pytestmark = pytest.mark.browser


def test_every_column_of_the_board_is_in_view_at_1366_pixels(new_page, demo):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "viewer")
    page.goto(f"/programmes/{demo.pk}/board/")
    columns = page.locator(".board-column")
    count = columns.count()
    assert count >= 5
    for i in range(count):
        box = columns.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, f"column {i} at {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_a_first_visit_hint_goes_once_read_and_stays_gone(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")
    page.goto(f"/programmes/{demo.pk}/board/")
    hint = page.locator("[data-hint=board]")
    expect(hint).to_be_visible()
    hint.get_by_role("button", name="Got it").click()
    expect(hint).to_be_hidden()
    page.reload()
    expect(page.locator("[data-hint=board]")).to_be_hidden()
    fcr = Workstream.objects.get(name="Force Control Room")
    page.goto(f"/workstreams/{fcr.pk}/record-update/")
    expect(page.locator("[data-hint=record]")).to_be_visible()  # each hint is its own


def test_on_a_phone_the_menu_button_shows_and_hides_the_navigation(new_page, demo):
    """Bootstrap's collapsing navigation without Bootstrap's script: a button with its state announced."""
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "viewer")
    menu = page.get_by_role("button", name="Show navigation")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#main-nav")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Hide navigation")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav").get_by_role("link").first).to_be_visible()
    page.get_by_role("button", name="Hide navigation").click()
    expect(page.locator("#main-nav")).to_be_hidden()
