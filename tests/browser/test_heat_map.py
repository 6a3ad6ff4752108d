"""In the browser: a chief officer narrows the heat map to one register by typing part of its name (no page lists
every register), and the map and its cells count only that register's open risks."""

import re

import pytest
from playwright.sync_api import expect

from risks.models import Register, RiskStatus
from risks.pickers import register_label
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_with_risks(demo):
    """The whole demo as `make run` loads it: the programme with its registers and their risks."""
    from django.core.management import call_command

    call_command("load_demo")
    return demo


def test_the_heat_map_is_narrowed_to_a_register_chosen_by_typing(new_page, demo_with_risks):
    corporate = Register.objects.filter(risks__status=RiskStatus.OPEN).order_by("level", "code").first()
    risk = corporate.risks.filter(status=RiskStatus.OPEN).first()
    assert Register.objects.count() > 1
    page = new_page()
    sign_in(page, "viewer")  # the chief officer
    page.goto("/risks/heat-map/")
    picker = page.get_by_label("Register", exact=True)
    assert page.locator("datalist#hm-register-registers option").count() == 0
    picker.press_sequentially(corporate.name.split()[0].lower(), delay=40)
    suggestion = page.locator("datalist#hm-register-registers option").first
    expect(suggestion).to_have_attribute("value", register_label(corporate))
    picker.fill(suggestion.get_attribute("value"))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"register=" + re.escape(corporate.name.split()[0])))
    expect(page.get_by_role("heading", level=1)).to_contain_text(corporate.name)
    mine = corporate.risks.filter(
        status=RiskStatus.OPEN, current_likelihood=risk.current_likelihood, current_impact=risk.current_impact
    ).count()
    name = f"Likelihood {risk.current_likelihood}, impact {risk.current_impact}: {mine} risk"
    cell = page.get_by_role("link", name=re.compile("^" + re.escape(name)))
    expect(cell).to_be_visible()
    cell.click()
    expect(page.get_by_role("link", name=re.compile(re.escape(risk.title))).first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"register={corporate.pk}"))
