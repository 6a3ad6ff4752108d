"""The programme office's month, measured in a real browser: record every open item's status for the period and
publish the paper, once item by item through the single form (as before the grid), once through My work and the
grid. Page loads are main-frame documents the browser loads (a redirect after a save counts once); clicks are
every click, tick and key press on a control. The figures print with `pytest -s` (docs/performance.md keeps
them); the grid's cycle must stay under 25 page loads."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams import rules
from workstreams.models import Project, StatusUpdate, Workstream

pytestmark = pytest.mark.browser

MEETING = "2022-07-01"


class Meter:
    def __init__(self, page):
        self.page, self.loads, self.clicks = page, 0, 0
        page.on("load", lambda _: self._loaded())

    def _loaded(self):
        self.loads += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()


def open_items(programme) -> list:
    items = [programme]
    items += list(Workstream.objects.filter(rules.open_q(), programme=programme).order_by("order"))
    items += list(Project.objects.filter(rules.open_q(), workstream__programme=programme).order_by("name"))
    return items


def publish_the_paper(meter, page):
    meter.click(page.get_by_role("link", name="Reports", exact=True))
    meter.click(page.get_by_role("link", name="Audit Committee"))
    meter.click(page.get_by_role("link", name="New report"))
    page.get_by_label("Programme").select_option(label="T2025 Service Improvement Programme")
    page.get_by_label("Meeting date").fill(MEETING)
    meter.clicks += 2  # the programme and the date
    meter.click(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status").first).to_contain_text("Draft started")
    meter.click(page.get_by_role("link", name="Publish…"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish")  # the gate's page, before its boxes
    expect(page.get_by_role("checkbox").first).to_be_visible()
    for box in page.get_by_role("checkbox").all():
        meter.click(box)
    meter.click(page.get_by_role("button", name="Publish"))
    expect(page.get_by_role("status").first).to_contain_text("It is now frozen", timeout=30_000)


def test_the_month_item_by_item_through_the_single_form(new_page, demo):
    items = open_items(demo)
    page = new_page()
    meter = Meter(page)
    sign_in(page, "pmo")
    meter.clicks += 3
    for item in items:
        page.goto(demo.get_absolute_url())  # back to the programme: its breadcrumb, one click
        meter.clicks += 1
        if item != demo:
            meter.click(page.get_by_role("link", name=item.name, exact=True).first)
        meter.click(page.get_by_role("link", name="Record update", exact=True))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Record update")
        if not page.locator("fieldset input[type=radio][value]:not([value='']):checked").count():
            meter.click(
                page.locator("fieldset").first.locator("input[type=radio]:not([value=''])").first
            )  # first report
        page.get_by_label("Reason", exact=True).fill("No change this period")
        meter.clicks += 1
        meter.click(page.get_by_role("button", name="Record update", exact=True))
        expect(page.get_by_role("status").first).to_contain_text("Update recorded")
    publish_the_paper(meter, page)
    print(f"\nMONTHLY CYCLE, item by item ({len(items)} items): {meter.loads} page loads, {meter.clicks} clicks")
    assert StatusUpdate.objects.filter(as_of=timezone.localdate()).count() == len(items)


def test_the_month_through_my_work_and_the_grid_takes_under_25_page_loads(new_page, demo):
    items = open_items(demo)
    page = new_page()
    meter = Meter(page)
    sign_in(page, "pmo")
    meter.clicks += 3
    everyone = page.get_by_role("region", name=re.compile("^Everyone's updates still due"))
    meter.click(everyone.get_by_role("link", name=re.compile(rf"^Update \d+ in {re.escape(demo.name)} on one page$")))
    meter.click(page.get_by_role("button", name="Record the ticked rows"))
    expect(page.locator("#form-errors, [role=status]").first).to_be_visible()  # the answer has loaded
    if page.locator("#form-errors").count():  # rows never rated before, or levels that need a reason
        for row in page.locator("tr.table-danger").all():
            first = row.locator("select").first
            if not first.input_value():
                first.select_option(index=1)
                meter.clicks += 1
            row.locator("textarea[name$='-reason']").fill("No change this period")
            meter.clicks += 1
        meter.click(page.get_by_role("button", name="Record the ticked rows"))
    expect(page.get_by_role("status").first).to_contain_text(f"{len(items)} updates recorded")
    publish_the_paper(meter, page)
    print(
        f"\nMONTHLY CYCLE, My work and the grid ({len(items)} items): {meter.loads} page loads, {meter.clicks} clicks"
    )
    assert StatusUpdate.objects.filter(as_of=timezone.localdate()).count() == len(items)
    assert meter.loads < 25
