"""Effective time and recorded time: every governed fact says from when it was true and when, by whom, it was
entered. The office may back-date; nothing takes effect before its item existed; "as at" reads effective dates
and "as recorded on" reads what ChangeProg held on a day."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from reporting import services as report_services
from reporting.compose import compose
from reporting.models import Board
from tests.factories import make_project
from workstreams import history, services
from workstreams.changes import changes_between, item_changes
from workstreams.models import Lifecycle, Project, StatusUpdate
from workstreams.selectors import programme_overview
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def today():
    # Read when a test runs, not when the module is imported: a run that passes midnight stays right.
    return timezone.localdate()


def today_text():
    return formats.date_format(today(), "j M Y")


def close_url(item):
    return reverse("workstreams:project_action", args=[item.pk, "close"])


def overall(programme):
    return programme.dimensions.get(code="overall")


def test_the_office_backdates_a_closure_and_the_record_says_it_was_recorded_later(client, pmo, portfolio):
    project = portfolio["project_a"]
    client.force_login(pmo)
    response = client.post(
        close_url(project),
        {
            "closed_on": "2022-03-31",
            "closure_note": "Delivered",
            "reason": "Closed at the March board; not recorded then",
            "effective_date": "2022-03-31",
        },
    )
    assert response.status_code == 302
    row = Project.history.filter(id=project.pk).order_by("-history_id").first()
    assert (row.effective_date, row.history_user) == (date(2022, 3, 31), pmo)
    assert timezone.localdate(row.history_date) == today() and row.recorded_later
    # As at the day before it took effect the project was open; from that day it was closed.
    before = history.item_as_at(Project, project.pk, history.Moment(date(2022, 3, 30)), person_field="manager")
    after = history.item_as_at(Project, project.pk, history.Moment(date(2022, 3, 31)), person_field="manager")
    assert (before.lifecycle, after.lifecycle) == (Lifecycle.ACTIVE, Lifecycle.CLOSED)
    page = client.get(project.get_absolute_url()).content.decode()
    assert f"Recorded later, on {today_text()} by {pmo.get_full_name()}" in page
    [closure] = [c for c in item_changes(project) if c.kind == "closed"]
    assert closure.day == date(2022, 3, 31) and closure.recorded_later


def test_a_contributor_records_changes_as_of_today_and_cannot_backdate(client, lead_a, portfolio):
    project = portfolio["project_a"]
    client.force_login(lead_a)
    form = client.get(close_url(project)).content.decode()
    assert 'name="effective_date"' not in form
    client.post(
        close_url(project),
        {"closed_on": "2022-03-31", "closure_note": "Done", "reason": "Done", "effective_date": "2022-03-31"},
    )
    row = Project.history.filter(id=project.pk).order_by("-history_id").first()
    assert row.lifecycle == Lifecycle.CLOSED and row.effective_date == today()


def test_the_office_sees_the_effective_date_on_create_edit_and_action_forms(client, pmo, portfolio):
    client.force_login(pmo)
    for url in (
        reverse("workstreams:project_create", args=[portfolio["ws_a"].pk]),
        reverse("workstreams:project_edit", args=[portfolio["project_a"].pk]),
        reverse("workstreams:project_action", args=[portfolio["project_a"].pk, "replan"]),
        reverse("workstreams:programme_create"),
    ):
        page = client.get(url).content.decode()
        assert 'name="effective_date"' in page and "Effective from" in page, url


def test_a_change_cannot_take_effect_in_the_future_or_before_the_items_latest_fact(client, pmo, portfolio):
    project = portfolio["project_a"]
    services.item_replan(
        item=project, forecast_end_date=date(2023, 1, 31), by=pmo, reason="Re-plan", effective=date(2022, 6, 1)
    )
    client.force_login(pmo)
    url = reverse("workstreams:project_action", args=[project.pk, "replan"])
    tomorrow = (today() + timedelta(days=1)).isoformat()
    future = client.post(url, {"forecast_end_date": "2023-06-30", "reason": "x", "effective_date": tomorrow})
    assert future.status_code == 400 and "cannot take effect in the future" in future.content.decode()
    earlier = client.post(url, {"forecast_end_date": "2023-06-30", "reason": "x", "effective_date": "2022-05-01"})
    body = earlier.content.decode()
    assert earlier.status_code == 400
    assert f"has a change in effect from 1 Jun 2022 (recorded by {pmo.get_full_name()}" in body
    project.refresh_from_db()
    assert project.forecast_end_date == date(2023, 1, 31)


def test_nothing_takes_effect_before_the_item_it_belongs_to_existed(pmo, portfolio):
    # The test portfolio is on record from 1 Jan 2020.
    with pytest.raises(ValidationError, match="is on record from 1 Jan 2020"):
        make_project(portfolio["ws_a"], by=pmo, name="Too early", effective=date(2019, 12, 31))
    assert not Project.objects.filter(name="Too early").exists()
    with pytest.raises(ValidationError) as caught:
        services.status_update_submit(
            subject=portfolio["project_a"],
            as_of=date(2019, 6, 30),
            ratings=[
                RatingInput(
                    overall(portfolio["programme"]),
                    portfolio["programme"].dimensions.get(code="overall").scale.levels.first(),
                )
            ],
            by=pmo,
        )
    assert "is on record from 1 Jan 2020; a status cannot be dated before it" in str(caught.value)
    assert not StatusUpdate.objects.exists()


def test_an_update_dated_before_a_new_project_existed_is_refused_through_the_form(client, pmo, portfolio, rag):
    project = make_project(portfolio["ws_a"], by=pmo, name="Started this year", effective=date(today().year, 1, 1))
    client.force_login(pmo)
    response = client.post(
        reverse("workstreams:project_record_update", args=[project.pk]),
        {"as_of": f"{today().year - 1}-12-31", "rating_overall": rag["GREEN"].pk, "seen_version": "0"},
    )
    assert response.status_code == 400
    assert "Started this year is on record from 1 Jan" in response.content.decode()
    assert not StatusUpdate.objects.filter(project=project).exists()


def test_as_recorded_on_shows_what_the_committee_was_told_and_as_at_what_is_known_now(
    client, viewer, pmo, portfolio, rag
):
    programme, ws = portfolio["programme"], portfolio["ws_a"]
    dimension = overall(programme)
    update = services.status_update_submit(
        subject=ws, as_of=date(2022, 5, 31), ratings=[RatingInput(dimension, rag["AMBER"], "Slipping")], by=pmo
    )
    told_on = today()  # what the record held at the end of today, before the correction below is dated tomorrow
    # A correction recorded later (simulated: its history row is dated tomorrow) turns the Amber Red.
    services.status_update_correct(
        update=update,
        as_of=update.as_of,
        ratings=[RatingInput(dimension, rag["RED"], "Worse than reported")],
        by=pmo,
        correction_reason="The lead under-reported",
    )
    for model in (StatusUpdate.history.model,):
        model.objects.filter(id=update.pk, history_type="~").update(history_date=timezone.now() + timedelta(days=1))
    from workstreams.models import StatusRating

    StatusRating.history.model.objects.filter(update_id=update.pk, history_type="~").update(
        history_date=timezone.now() + timedelta(days=1)
    )
    now = programme_overview(programme, as_of=date(2022, 6, 1))
    told = programme_overview(programme, as_of=date(2022, 6, 1), recorded_on=told_on)
    row_now = next(w for w in now.workstreams if w.item.pk == ws.pk)
    row_told = next(w for w in told.workstreams if w.item.pk == ws.pk)
    assert row_now.headline.level == rag["RED"]
    assert row_told.headline.level == rag["AMBER"] and row_told.headline.explanation == "Slipping"
    client.force_login(viewer)
    page = client.get(programme.get_absolute_url(), {"as_at": "2022-06-01", "recorded_on": told_on.isoformat()})
    assert "as ChangeProg had it recorded at the end of" in page.content.decode()


def test_as_recorded_on_leaves_out_structure_and_updates_entered_later(client, viewer, pmo, portfolio, rag):
    programme = portfolio["programme"]
    yesterday = today() - timedelta(days=1)
    # Everything in the test portfolio was entered today: yesterday the record held none of it.
    overview = programme_overview(programme, as_of=date(2022, 6, 1), recorded_on=yesterday)
    assert overview.workstreams == [] and not overview.on_record
    client.force_login(viewer)
    board = client.get(reverse("workstreams:board", args=[programme.pk]), {"recorded_on": yesterday.isoformat()})
    assert board.status_code == 200 and "was not yet on record on that day" in board.content.decode()
    as_known = programme_overview(programme, as_of=date(2022, 6, 1))
    assert [w.item.name for w in as_known.workstreams] == ["Workstream A", "Workstream B"]


def test_what_changed_and_reports_say_whether_a_change_was_known_at_the_meeting(pmo, portfolio, rag):
    programme = portfolio["programme"]
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 5, 20),
        ratings=[RatingInput(overall(programme), rag["RED"], "Late news")],
        by=pmo,
    )
    [change] = [c for c in changes_between(programme, date(2022, 5, 1), date(2022, 6, 1)) if c.kind == "status"]
    assert change.recorded_later and not change.known_by(date(2022, 6, 1))
    from reporting.models import ReportTemplate, SectionKind, TemplateSection

    template = ReportTemplate.objects.create(name="Changes only")
    TemplateSection.objects.create(
        template=template, order=1, heading="Changes", kind=SectionKind.GENERATED, generator="changes"
    )
    board = Board.objects.create(name="Change board", template=template)
    report = report_services.report_create_draft(
        board=board, programme=programme, meeting_date=date(2022, 6, 1), comparison_date=date(2022, 5, 1), by=pmo
    )
    table = compose(report)["sections"][0]["blocks"][0]
    assert table["columns"][-1] == "Known at the meeting"
    assert (
        table["rows"][0][-1]["text"]
        == f"No: recorded on {formats.date_format(today(), 'j F Y')} by {pmo.get_full_name()}"
    )


def test_what_changed_places_structure_on_the_day_it_took_effect(pmo, portfolio):
    project = portfolio["project_a"]
    services.item_update(
        item=project, changes={"name": "Project A (renamed)"}, by=pmo, reason="New name", effective=date(2021, 3, 1)
    )
    renamed = [
        c for c in changes_between(portfolio["programme"], date(2021, 2, 1), date(2021, 3, 31)) if c.kind == "rename"
    ]
    assert [(c.day, c.summary) for c in renamed] == [(date(2021, 3, 1), "Project A → Project A (renamed)")]
    assert not changes_between(portfolio["programme"], today() - timedelta(days=5), today(), kinds={"rename"})


def test_a_paper_says_when_a_status_it_reports_was_recorded_after_the_meeting(pmo, portfolio, rag):
    programme = portfolio["programme"]
    services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 5, 20),
        ratings=[RatingInput(overall(programme), rag["RED"], "Late news")],
        by=pmo,
    )
    from reporting.models import ReportTemplate, SectionKind, TemplateSection

    template = ReportTemplate.objects.create(name="Updates only")
    TemplateSection.objects.create(
        template=template, order=1, heading="Workstreams", kind=SectionKind.GENERATED, generator="workstream-updates"
    )
    board = Board.objects.create(name="Updates board", template=template)
    report = report_services.report_create_draft(
        board=board, programme=programme, meeting_date=date(2022, 6, 1), by=pmo
    )
    texts = [block["text"] for block in compose(report)["sections"][0]["blocks"]]
    recorded = formats.date_format(today(), "j F Y")
    assert any(
        "currently reporting Red status" in t
        and f"(This status was recorded on {recorded}, after the meeting date.)" in t
        for t in texts
    )
