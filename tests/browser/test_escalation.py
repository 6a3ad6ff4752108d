"""The escalation round trip in a real browser: proposed by the programme office, accepted by the owner."""

import pytest
from playwright.sync_api import expect

from demo.portfolio import ensure_demo_users
from risks.models import Register, Risk
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(shipped_data):
    from django.core.management import call_command

    call_command("load_demo")
    ensure_demo_users("changeprog-demo")


def test_programme_office_escalates_and_the_corporate_owner_accepts_and_links(new_page, demo):
    risk = Risk.objects.get(title="IT and HR capacity to support developments")
    page = new_page()
    sign_in(page, "pmo")
    page.goto("/risks/")
    page.get_by_role("link", name="IT and HR capacity to support developments").click()
    page.get_by_role("link", name="Escalate").click()
    expect(page.locator(".alert-warning")).to_contain_text("Current score 16 is 15 or more.")
    page.get_by_label("Why this risk should be held at the higher level").fill("IT capacity is a force-wide constraint")
    page.get_by_role("button", name="Propose for Corporate risk register").click()
    expect(page.get_by_role("status").first).to_contain_text("Proposed T2025-R003 for Corporate risk register.")

    owner = new_page()
    sign_in(owner, "admin")
    owner.goto("/risks/escalations/")
    owner.get_by_role("link", name="Decide on T2025-R003").click()
    owner.get_by_label("Accept and link it").check()
    owner.get_by_label("Link to an existing risk").select_option(
        label="CRR-R001 Affordability and resourcing of force transformation"
    )
    owner.get_by_label("Reason for the decision").fill("Part of the force transformation risk")
    owner.get_by_role("button", name="Record the decision").click()
    expect(owner.get_by_text("Contributes to")).to_be_visible()

    corporate = Register.objects.get(level="corporate").risks.get()
    owner.goto(corporate.get_absolute_url())
    contributing = owner.locator("section, ul").filter(has_text="T2025-R003")
    expect(owner.get_by_role("heading", name="Contributing risks")).to_be_visible()
    expect(contributing.first).to_contain_text("IT and HR capacity to support developments")
    risk.refresh_from_db()
    assert risk.contributes_to == corporate and risk.status == "open"
