"""WCAG 2.2 AA: axe-core checks every page as each persona sees it, and the run fails on any serious or critical
violation. The pages are every named URL of the site (the access matrix's list, so a new page is checked the day it
is added), read with one of everything each needs (`tests.world`)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.test_access_matrix import MATRIX
from tests.world import build_world

pytestmark = pytest.mark.browser

PERSONAS = {"pmo": "pmo-user", "lead_a": "lead-a", "viewer": "viewer-user", None: None}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_page_has_no_serious_accessibility_violation(new_page, persona):
    world = build_world()
    page = new_page()
    if persona:
        sign_in(page, PERSONAS[persona], "correct-horse-battery")
    failures, checked = {}, 0
    for name, (build_args, expected) in sorted(MATRIX.items()):
        if expected[persona] != 200:
            continue
        url = reverse(name, args=build_args(world))
        answer = page.request.get(url)
        headers = answer.headers
        if "text/html" not in headers.get("content-type", "") or "attachment" in headers.get("content-disposition", ""):
            continue  # downloads: PDF, Word, slides, spreadsheets, evidence files, stylesheets
        if not answer.text().lstrip().lower().startswith("<!doctype html"):
            continue  # a fragment htmx places in a page (a picker's suggestions), checked within that page
        page.goto(url)
        checked += 1
        found = serious_violations(page)
        if found:
            failures[name] = found
    assert checked >= (3 if persona is None else 30)
    assert not failures, "\n".join(f"{name}: {found}" for name, found in failures.items())


def contrast(page, selector: str, prop: str) -> float:
    """The WCAG contrast of an element's `prop` colour against white, as the browser computes it."""
    from changeprog.colours import contrast_ratio

    rgb = page.eval_on_selector(selector, f"e => getComputedStyle(e)['{prop}']")
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return contrast_ratio(f"#{r:02X}{g:02X}{b:02X}", "#FFFFFF")


def test_controls_keep_3_to_1_and_the_focus_is_visible_even_on_the_dark_navigation(new_page):
    build_world()
    page = new_page()
    sign_in(page, "lead-a", "correct-horse-battery")
    page.goto(reverse("mail_preferences"))
    assert contrast(page, "input[type=checkbox]", "borderTopColor") >= 3
    assert contrast(page, "input[type=number]", "borderTopColor") >= 3
    # Tab from the top: the skip link, then the brand on the dark navbar. Each shows a focus ring.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "navbar-brand" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    colour = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    assert outline == "solid" and width >= 2 and colour == "rgb(255, 221, 0)"


def test_the_heat_maps_cells_are_links_a_screen_reader_reaches(new_page):
    from risks.models import Risk

    build_world()
    page = new_page()
    sign_in(page, "viewer-user", "correct-horse-battery")
    page.goto(reverse("risks:heatmap"))
    risk = Risk.objects.filter(status="open").first()
    name = f"Likelihood {risk.current_likelihood}, impact {risk.current_impact}: "
    cell = page.get_by_role("link", name=re.compile("^" + re.escape(name)))
    expect(cell.first).to_be_visible()
    cell.first.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"likelihood="))


def test_a_refused_form_puts_the_focus_on_its_error_summary(new_page):
    build_world()
    page = new_page()
    sign_in(page, "pmo-user", "correct-horse-battery")
    page.goto(reverse("workstreams:programme_create"))
    page.get_by_role("button", name="Save").click()
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link").first).to_be_visible()  # each error links to its field
