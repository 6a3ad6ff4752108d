"""Milestones: a lead plans, re-forecasts and achieves their items' milestones with a reason each; an overdue one
is flagged on the board, counted on the dashboard and found by the publish gate; slips and completions appear in
what changed; the programme's list filters them and reads them as at a past date."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.changes import changes_between
from workstreams.models import Milestone

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def plan(subject, name, baseline, *, by, **fields):
    kind = type(subject)._meta.model_name
    return services.milestone_save(
        Milestone(**{kind: subject}, name=name, baseline_date=baseline, **fields), by=by, reason="Planned"
    )


def form(**values):
    return {"reason": "Agreed at the workstream meeting", "status": "planned", **values}


def test_a_lead_plans_a_milestone_for_their_project_and_another_lead_cannot(client, portfolio, lead_a, lead_b):
    project = portfolio["project_a"]
    url = reverse("workstreams:project_milestone_create", args=[project.pk])
    client.force_login(lead_a)
    made = client.post(url, form(name="Control room go-live", baseline_date="2027-03-31", tell_committee="on"))
    assert made.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.project, milestone.tell_committee) == (project, True)
    row = milestone.history.get()
    assert (row.history_user, row.history_change_reason) == (lead_a, "Agreed at the workstream meeting")
    client.force_login(lead_b)
    assert client.post(url, form(name="Sneaky", baseline_date="2027-03-31")).status_code == 403
    edit = reverse("workstreams:milestone_edit", args=[milestone.pk])
    assert client.post(edit, form(name="Renamed", baseline_date="2027-03-31")).status_code == 403
    assert Milestone.objects.get().name == "Control room go-live"


def test_the_rules_of_a_milestone_hold_on_every_way_in(client, portfolio, pmo):
    project = portfolio["project_a"]
    plan(project, "Go-live", date(2027, 3, 31), by=pmo)
    client.force_login(pmo)
    url = reverse("workstreams:project_milestone_create", args=[project.pk])
    cases = [
        (form(name="Go-live", baseline_date="2027-03-31"), "already has a milestone of that name"),
        (form(name="Done", baseline_date="2026-01-01", status="complete"), "Give the date it was achieved"),
        (form(name="Half", baseline_date="2026-01-01", actual_date="2026-02-01"), "is complete"),
        (
            form(
                name="Future",
                baseline_date="2026-01-01",
                status="complete",
                actual_date=(TODAY + timedelta(days=3)).isoformat(),
            ),
            "a day that has not come",
        ),  # fmt: skip
        (form(name="No reason", baseline_date="2026-01-01", reason=""), "This field is required"),
    ]
    for data, message in cases:
        refused = client.post(url, data)
        assert refused.status_code == 400 and message in refused.content.decode(), message
    assert Milestone.objects.count() == 1


def test_an_overdue_milestone_is_flagged_on_the_board_counted_on_the_dashboard_and_found_by_the_gate(
    client, portfolio, pmo
):
    from reporting.quality import findings

    project, programme = portfolio["project_a"], portfolio["programme"]
    late = plan(project, "Supplier contract signed", TODAY - timedelta(days=10), by=pmo)
    plan(portfolio["project_b"], "Training done", TODAY + timedelta(days=30), by=pmo)
    client.force_login(pmo)

    def on_board():
        board = client.get(reverse("workstreams:board", args=[programme.pk])).context["board"]
        return {code: n for code, _, n in board.flag_counts}["milestone-overdue"]

    assert on_board() == 1
    dashboard = client.get(reverse("reporting:dashboard", args=[programme.pk])).content.decode()
    assert "Milestones overdue" in dashboard and project.name in dashboard
    listed = client.get(reverse("workstreams:milestones", args=[programme.pk]) + "?show=overdue").content.decode()
    assert "Supplier contract signed" in listed and "Training done" not in listed and "Overdue" in listed

    from reporting import services as report_services
    from reporting.models import Board

    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"), programme=programme, meeting_date=TODAY, by=pmo
    )
    gate = {f.code: f for f in findings(report)}
    assert [name for name, _ in gate["milestone-overdue"].items] == [project.name]
    late.status, late.actual_date = "complete", TODAY
    services.milestone_save(late, by=pmo, reason="Signed today")
    assert on_board() == 0


def test_the_dashboards_milestone_totals_and_every_items_overdue_flag_come_from_one_read(
    portfolio, pmo, django_assert_num_queries
):
    from workstreams import milestones
    from workstreams.selectors import programme_overview

    programme, ws, project = portfolio["programme"], portfolio["ws_a"], portfolio["project_a"]
    plan(programme, "Strategy agreed", TODAY - timedelta(days=5), by=pmo)
    plan(ws, "Workstream plan signed off", TODAY - timedelta(days=1), by=pmo)
    plan(project, "Supplier chosen", TODAY + timedelta(days=10), by=pmo)
    plan(project, "Go-live", TODAY + timedelta(days=200), by=pmo)
    done = plan(project, "Design agreed", TODAY - timedelta(days=40), by=pmo)
    done.status, done.actual_date = "complete", TODAY - timedelta(days=20)
    services.milestone_save(done, by=pmo, reason="Agreed")
    overview = programme_overview(programme)
    with django_assert_num_queries(1):  # the counts: the overview has read the programme's items already
        totals = milestones.overview_counts(overview, TODAY)
    assert totals == {"total": 5, "overdue": 2, "due_soon": 1, "achieved": 1}
    flags = {ws_row.item.name: ws_row.item.overdue_milestones for ws_row in overview.workstreams}
    flags |= {p.item.name: p.item.overdue_milestones for ws_row in overview.workstreams for p in ws_row.projects}
    assert overview.programme.overdue_milestones == 1
    assert flags == {ws.name: 1, portfolio["ws_b"].name: 0, project.name: 0, portfolio["project_b"].name: 0}
    with django_assert_num_queries(0):  # the board's flags, asked for again on the same day, read nothing
        milestones.mark_overdue(overview, TODAY)
    earlier = programme_overview(programme, as_of=TODAY - timedelta(days=1))
    assert milestones.overview_counts(earlier, TODAY)["total"] == 0, "none of them was on record the day before"


def test_slips_and_completions_appear_in_what_changed_with_who_and_why(client, portfolio, pmo, lead_a):
    project = portfolio["project_a"]
    milestone = plan(project, "Go-live", date(2026, 9, 30), by=pmo)
    milestone.forecast_date = date(2026, 11, 30)
    services.milestone_save(milestone, by=lead_a, reason="Supplier delay")
    milestone.status, milestone.actual_date = "complete", TODAY
    services.milestone_save(milestone, by=lead_a, reason="Live")
    found = changes_between(portfolio["programme"], TODAY - timedelta(days=1), TODAY)
    summaries = {(c.kind, c.summary, c.why) for c in found if c.kind.startswith("milestone")}
    assert ("milestone", "Milestone ‘Go-live’ added, due 30 Sep 2026", "Planned") in summaries
    assert ("milestone-slip", "Milestone ‘Go-live’ expected 30 Sep 2026 → 30 Nov 2026", "Supplier delay") in summaries
    late = (TODAY - date(2026, 9, 30)).days
    assert any(kind == "milestone-done" and f"{late} days after its baseline" in text for kind, text, _ in summaries)
    assert all(c.item == project for c in found if c.kind.startswith("milestone"))
    client.force_login(pmo)
    page = client.get(reverse("workstreams:changes", args=[portfolio["programme"].pk])).content.decode()
    assert "Milestone slipped" in page and "Supplier delay" in page


def test_the_list_reads_milestones_as_at_a_past_date(client, portfolio, pmo, viewer):
    project = portfolio["project_a"]
    milestone = services.milestone_save(
        Milestone(project=project, name="Go-live", baseline_date=date(2026, 9, 30)),
        by=pmo, reason="Planned", effective=date(2026, 6, 1),
    )  # fmt: skip
    milestone.forecast_date = date(2027, 1, 31)
    services.milestone_save(milestone, by=pmo, reason="Slipped", effective=date(2026, 10, 15))
    client.force_login(viewer)
    url = reverse("workstreams:milestones", args=[portfolio["programme"].pk])
    then = client.get(url + "?as_at=2026-08-01").content.decode()
    assert "31 Jan 2027" not in then and "30 Sep 2026" in then
    assert "31 Jan 2027" in client.get(url).content.decode()
    assert "Go-live" not in client.get(url + "?as_at=2026-05-01").content.decode()


def test_a_save_over_a_colleagues_later_change_is_refused(client, portfolio, pmo, lead_a):
    from changeprog.concurrency import current_version

    milestone = plan(portfolio["project_a"], "Go-live", date(2027, 3, 31), by=pmo)
    seen = current_version(milestone)
    milestone.forecast_date = date(2027, 6, 30)
    services.milestone_save(milestone, by=pmo, reason="Re-forecast at the board")
    client.force_login(lead_a)
    refused = client.post(
        reverse("workstreams:milestone_edit", args=[milestone.pk]),
        form(name="Go-live", baseline_date="2027-03-31", forecast_date="2027-04-30", seen_version=seen),
    )
    assert refused.status_code == 400 and "Re-forecast at the board" in refused.content.decode()
    milestone.refresh_from_db()
    assert milestone.forecast_date == date(2027, 6, 30)


def test_the_milestones_page_costs_the_same_queries_at_any_size(client, portfolio, pmo):
    client.force_login(pmo)
    url = reverse("workstreams:milestones", args=[portfolio["programme"].pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    plan(portfolio["project_a"], "First", date(2027, 1, 1), by=pmo)
    small = count()
    for n in range(8):
        plan(portfolio["project_b"], f"More {n}", date(2026, 1, 1) + timedelta(days=n), by=pmo, owner=pmo)
        plan(portfolio["ws_a"], f"Workstream {n}", date(2027, 1, 1), by=pmo)
    assert_pinned("workstreams:milestones", [small, count()])
