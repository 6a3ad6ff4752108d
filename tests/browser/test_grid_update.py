"""A workstream lead brings their items up to date on one page with the keyboard alone, and the programme office
goes from one item's form to the next that owes an update."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams.models import StatusUpdate, Workstream

pytestmark = pytest.mark.browser


def tab_to(page, name: str = "", *, text: str = "", limit: int = 400):
    """Press Tab until the control named `name` (or the button reading `text`) has the focus, as a keyboard user
    would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.name, document.activeElement.textContent.trim()]")
        if (name and focused[0] == name) or (text and focused[1] == text and not focused[0]):
            return
    raise AssertionError(f"{name or text} is not reachable with the keyboard")


def test_a_lead_records_their_rows_on_the_grid_with_the_keyboard_only(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    before = StatusUpdate.objects.filter(workstream=fcr).count()
    page = new_page()
    sign_in(page, "lead")
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^Update \d+ in .* on one page$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Update on one page")
    prefix = f"workstream-{fcr.pk}"
    expect(page.locator(f"[name='{prefix}-record']")).to_be_checked()

    tab_to(page, f"{prefix}-rating_overall")
    page.keyboard.type("Red")
    expect(page.get_by_label(f"Overall for {fcr}")).to_have_value(
        str(page.locator(f"[name='{prefix}-rating_overall'] option", has_text="Red").get_attribute("value"))
    )
    tab_to(page, f"{prefix}-reason")
    page.keyboard.press("Control+A")  # last period's reason is there to revise: replace it
    page.keyboard.type("Control room system go-live moved to September")
    tab_to(page, text="Record the ticked rows")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("recorded in")
    latest = StatusUpdate.objects.filter(workstream=fcr).order_by("-created_at").first()
    assert StatusUpdate.objects.filter(workstream=fcr).count() == before + 1
    assert latest.reason == "Control room system go-live moved to September"
    assert [r.level.label for r in latest.ratings.all() if r.dimension.code == "overall"] == ["Red"]


def test_a_row_in_error_keeps_the_input_and_focus_lands_on_the_summary(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    before = StatusUpdate.objects.count()
    page = new_page()
    sign_in(page, "lead")
    page.goto(f"/workstreams/{fcr.pk}/grid/")
    prefix = f"workstream-{fcr.pk}"
    page.locator(f"[name='{prefix}-rating_overall']").select_option(label="Red (needs a reason)")
    page.locator(f"[name='{prefix}-reason']").fill("")
    page.locator(f"[name='{prefix}-progress']").fill("Typed and kept")
    page.get_by_role("button", name="Record the ticked rows").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("needs a reason")
    expect(page.locator(f"[name='{prefix}-progress']")).to_have_value("Typed and kept")
    assert StatusUpdate.objects.count() == before


def test_the_office_records_one_item_and_goes_straight_to_the_next_needing_an_update(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    page = new_page()
    sign_in(page, "pmo")
    page.goto(f"/workstreams/{fcr.pk}/record-update/")
    page.get_by_label("Reason", exact=True).fill("Holding at last period's levels")
    page.get_by_role("button", name="Record and go to the next item needing an update").click()

    expect(page.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record update")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Force Control Room")
