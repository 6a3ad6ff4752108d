"""In a real browser: the office back-dates a closure, is sent to correct an update rather than record a second
one for the same day, two people recording at once do not overwrite each other, and a committee member reads the
board as the record stood on the day of a meeting."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams import services
from workstreams.models import Project, StatusLevel, StatusUpdate, Workstream

pytestmark = pytest.mark.browser


def test_the_office_backdates_a_closure_and_the_history_says_recorded_later(new_page, demo):
    project = Project.objects.get(name="Resource Management business design")
    page = new_page()
    sign_in(page, "pmo")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Close").click()
    page.get_by_label("Closed on").fill("2022-06-30")
    page.get_by_label("Closure note").fill("Design handed to the business")
    page.get_by_label("Reason for this change").fill("Closed at the July board; recorded now")
    page.get_by_label("Effective from").fill("2022-06-30")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("status")).to_contain_text("Close: done")
    history = page.get_by_role("table", name=re.compile("Changes to this item"))
    closed = history.get_by_role("row").filter(has_text="Closed")
    expect(closed).to_contain_text("30 Jun 2022")
    expect(closed).to_contain_text(re.compile(r"Recorded later, on \d+ \w+ \d{4} by Programme Office"))
    # As at the end of June it was closed; the day before it was open.
    page.goto(f"{project.get_absolute_url()}?as_at=2022-06-29")
    expect(page.get_by_text("Active", exact=True).first).to_be_visible()
    page.goto(f"{project.get_absolute_url()}?as_at=2022-06-30")
    expect(page.get_by_text("Closed", exact=True).first).to_be_visible()


def test_recording_twice_for_a_day_leads_to_correcting_the_first(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    page = new_page()
    sign_in(page, "pmo")
    page.goto(fcr.get_absolute_url())
    page.get_by_role("link", name="Record update").click()
    page.get_by_label("Status as at").fill("2022-04-14")  # the April board already has an update
    page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Red").check()
    page.get_by_label("Reason", exact=True).fill("Worse than reported")
    page.get_by_role("button", name="Record update").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("There is already an update as at 14 Apr 2022 for Force Control Room")
    alert.get_by_role("link", name="Correct the update as at 14 Apr 2022").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correct the update as at 14 Apr 2022")
    assert StatusUpdate.objects.filter(workstream=fcr, as_of=date(2022, 4, 14)).count() == 1


def test_two_people_recording_at_once_do_not_overwrite_each_other(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    office, lead = new_page(), new_page()
    sign_in(office, "pmo")
    sign_in(lead, "lead")
    for page in (office, lead):
        page.goto(fcr.get_absolute_url())
        page.get_by_role("link", name="Record update").click()
    office.get_by_label("Status as at").fill("2022-06-20")
    office.get_by_role("group", name="Overall this period").get_by_role("radio", name="Red").check()
    office.get_by_label("Reason", exact=True).fill("IT diverted")
    office.get_by_role("button", name="Record update").click()
    expect(office.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")

    lead.get_by_label("Status as at").fill("2022-06-21")
    lead.get_by_role("group", name="Overall this period").get_by_role("radio", name="Amber").check()
    lead.get_by_label("Reason", exact=True).fill("Recovering")
    lead.get_by_role("button", name="Record update").click()
    alert = lead.get_by_role("alert")
    expect(alert).to_contain_text("Programme Office recorded the update as at 20 Jun 2022")
    expect(alert).to_contain_text("Overall Red")
    expect(lead.get_by_label("Reason", exact=True)).to_have_value("Recovering")
    lead.get_by_role("button", name="Record update").click()  # having seen it, the lead records theirs
    expect(lead.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")
    recorded = StatusUpdate.objects.filter(workstream=fcr, as_of__gte=date(2022, 6, 20)).order_by("as_of")
    assert list(recorded.values_list("as_of", flat=True)) == [date(2022, 6, 20), date(2022, 6, 21)]


def test_a_committee_member_reads_the_board_as_it_was_recorded_on_a_day(new_page, demo, django_user_model):
    # Long after the May review, the office back-dates a Red for Force Control Room to 20 May.
    fcr = Workstream.objects.get(name="Force Control Room")
    office = django_user_model.objects.get(username="pmo")
    services.status_update_submit(
        subject=fcr,
        as_of=date(2022, 5, 20),
        ratings=[
            services.RatingInput(
                demo.dimensions.get(code="overall"), StatusLevel.objects.get(scale__code="rag", code="RED"), "Late news"
            )
        ],
        by=office,
    )
    page = new_page()
    sign_in(page, "viewer")
    page.goto(f"/programmes/{demo.pk}/board/?as_at=2022-05-31")
    column = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Force Control Room"))
    expect(column.locator("header .status-badge")).to_have_text("Red")
    page.get_by_label("As recorded on").fill("2022-05-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status").first).to_contain_text("as ChangeProg had it recorded at the end of 31 May 2022")
    # The back-dated Red was not on record that day: the board then showed April's Amber.
    column = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Force Control Room"))
    expect(column.locator("header .status-badge")).to_have_text("Amber")
