"""The programme office and workstream leads record status in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from workstreams.models import StatusUpdate, Workstream

pytestmark = pytest.mark.browser


def open_workstream(page, programme, name):
    page.goto(programme.get_absolute_url())
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_programme_office_moves_force_control_room_from_amber_to_red(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")
    open_workstream(page, demo, "Force Control Room")
    page.get_by_role("link", name="Record update").click()

    last_period = page.get_by_role("row", name=re.compile("^Overall"))
    expect(last_period.locator("td").first).to_contain_text("Amber")
    page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Red").check()
    page.get_by_label("Reason", exact=True).fill("IT capacity withdrawn to force-critical work; June date lost")
    page.get_by_label("Status as at").fill("2022-06-20")
    page.get_by_role("button", name="Record update").click()

    expect(page.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")
    newest = page.locator(".timeline > li").first
    expect(newest.get_by_role("heading")).to_have_text("As at 20 Jun 2022")
    expect(newest.locator(".status-badge")).to_have_text("Red")
    # Entered today about 20 June 2022: the record says so, and who entered it.
    expect(newest).to_contain_text(re.compile(r"Recorded later, on \d+ \w+ \d{4} by Programme Office"))
    expect(newest).to_contain_text("IT capacity withdrawn to force-critical work; June date lost")

    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="Programme board").click()
    column = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Force Control Room"))
    expect(column.locator("header .status-badge")).to_have_text("Red")

    page.goto(demo.get_absolute_url())
    page.get_by_role("link", name="What changed").click()
    page.get_by_label("Changes after").fill("2022-06-01")
    page.get_by_label("Up to and including").fill("2022-06-30")
    page.get_by_role("button", name="Show").click()
    movement = page.get_by_role("row").filter(has_text="Force Control Room")
    expect(movement).to_contain_text("Amber → Red")
    expect(movement).to_contain_text("worse")
    expect(movement).to_contain_text("Programme Office")
    expect(movement).to_contain_text("IT capacity withdrawn to force-critical work; June date lost")


def test_a_refused_update_keeps_what_was_typed_and_says_why(new_page, demo):
    page = new_page()
    sign_in(page, "pmo")
    open_workstream(page, demo, "Force Control Room")
    page.get_by_role("link", name="Record update").click()
    page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Red").check()
    page.get_by_label("Reason", exact=True).fill("")
    page.get_by_label("Progress this period").fill("Typed text survives")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("alert")).to_contain_text("A Red rating for Overall needs a reason.")
    expect(page.get_by_label("Progress this period")).to_have_value("Typed text survives")
    expect(page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Red")).to_be_checked()


def test_lead_records_for_their_own_workstream_and_is_refused_elsewhere(new_page, demo):
    page = new_page()
    sign_in(page, "lead")
    open_workstream(page, demo, "Force Control Room")
    page.get_by_role("link", name="Record update").click()
    page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Amber").check()
    page.get_by_label("Reason", exact=True).fill("Technology go-live moved to July")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")

    open_workstream(page, demo, "Resource Management")
    expect(page.get_by_role("link", name="Record update")).to_have_count(0)
    expect(page.get_by_role("button", name="Record update")).to_have_count(0)

    resource_management = Workstream.objects.get(name="Resource Management")
    before = StatusUpdate.objects.filter(workstream=resource_management).count()
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/workstreams/{resource_management.pk}/record-update/",
        form={"as_of": "2022-06-20", "rating_overall": "1", "reason": "forged"},
        headers={"X-CSRFToken": token},
    )
    assert response.status == 403
    assert StatusUpdate.objects.filter(workstream=resource_management).count() == before


def test_viewer_sees_no_edit_controls_and_every_write_url_refuses_them(new_page, demo):
    page = new_page()
    sign_in(page, "viewer")
    workstreams = list(demo.workstreams.all())
    projects = [p for w in workstreams for p in w.projects.all()]
    update = StatusUpdate.objects.filter(workstream__programme=demo).first()
    pages = [
        demo.get_absolute_url(),
        f"/programmes/{demo.pk}/board/",
        f"/programmes/{demo.pk}/changes/",
        "/projects/",
        "/workstreams/",
        "/",
    ]
    pages += [w.get_absolute_url() for w in workstreams] + [p.get_absolute_url() for p in projects]
    edit_controls = page.get_by_role(
        "link",
        name=re.compile(
            r"^(Record update|Edit details|Add |Close|Re-plan|Move|Deprioritise|Reopen|Programme review|New programme|Correct this update)"
        ),
    )
    for url in pages:
        page.goto(url)
        expect(edit_controls).to_have_count(0)

    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    write_urls = ["/programmes/new/", f"/programmes/{demo.pk}/record-update/", f"/programmes/{demo.pk}/edit/"]
    write_urls += [
        f"/programmes/{demo.pk}/workstreams/new/",
        f"/programmes/{demo.pk}/review/",
        f"/updates/{update.pk}/correct/",
    ]
    for w in workstreams:
        write_urls += [
            f"/workstreams/{w.pk}/{action}/" for action in ("record-update", "edit", "close", "replan", "deprioritise")
        ]
        write_urls.append(f"/workstreams/{w.pk}/projects/new/")
    for p in projects:
        write_urls += [f"/projects/{p.pk}/{action}/" for action in ("record-update", "edit", "close", "replan", "move")]
    before = (StatusUpdate.objects.count(), Workstream.history.count())
    for url in write_urls:
        assert page.request.get(url).status == 403, url
        response = page.request.post(
            url, form={"as_of": "2022-06-20", "reason": "forged"}, headers={"X-CSRFToken": token}
        )
        assert response.status == 403, url
    assert (StatusUpdate.objects.count(), Workstream.history.count()) == before


def test_a_lead_goes_from_my_work_to_the_update_they_owe_and_it_leaves_the_list(new_page, demo):
    page = new_page()
    sign_in(page, "lead")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    owed = page.get_by_role("table", name="Work you lead or manage with no update for its period")
    expect(owed.get_by_role("row").filter(has_text="Force Control Room")).to_have_count(1)
    page.get_by_role("link", name="Record an update for Force Control Room").click()
    page.get_by_role("group", name="Overall this period").get_by_role("radio", name="Amber").check()
    page.get_by_label("Reason", exact=True).fill("Technology go-live moved to July")
    page.get_by_role("button", name="Record update").click()
    expect(page.get_by_role("status")).to_have_text("Update recorded for Force Control Room.")
    page.goto("/")
    expect(page.get_by_role("row").filter(has_text="Force Control Room")).to_have_count(0)
