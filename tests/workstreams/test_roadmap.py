"""The roadmap: a programme's workstreams (or a workstream's projects) and milestones across financial years,
baseline against forecast, today's line, as at any date, with a table that says the same for a screen reader."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from changeprog.effective import Moment
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Milestone
from workstreams.roadmap import FORECAST, SLIPPED, roadmap

pytestmark = pytest.mark.django_db


def dated(item, *, by, start, baseline, forecast, effective=None):
    services.item_update(
        item=item, changes={"start_date": start, "baseline_end_date": baseline}, by=by, reason="Planned",
        effective=effective,
    )  # fmt: skip
    services.item_replan(item=item, forecast_end_date=forecast, by=by, reason="Forecast", effective=effective)


def test_the_roadmap_draws_baseline_against_forecast_and_the_milestones(client, portfolio, pmo, viewer):
    programme, ws_a, ws_b = portfolio["programme"], portfolio["ws_a"], portfolio["ws_b"]
    dated(ws_a, by=pmo, start=date(2025, 6, 1), baseline=date(2026, 12, 31), forecast=date(2027, 6, 30))
    dated(ws_b, by=pmo, start=date(2025, 4, 1), baseline=date(2026, 9, 30), forecast=date(2026, 9, 30))
    services.milestone_save(
        Milestone(project=portfolio["project_a"], name="Go-live", baseline_date=date(2027, 3, 31), tell_committee=True),
        by=pmo, reason="x",
    )  # fmt: skip
    services.milestone_save(
        Milestone(project=portfolio["project_a"], name="Test plan", baseline_date=date(2026, 10, 1)), by=pmo,
        reason="x",
    )  # fmt: skip
    found = roadmap(programme, day=date(2026, 11, 30))
    assert [r.name for r in found.rows] == ["Workstream A", "Workstream B"]
    assert (found.first, found.last) == (date(2025, 4, 1), date(2028, 4, 1))  # to the end of 2027/28
    # A project's milestone for the committee on its workstream's row; its internal ones on the workstream's roadmap.
    assert [m.name for m in found.rows[0].milestones] == ["Go-live"]
    workstream = roadmap(ws_a, day=date(2026, 11, 30))
    assert [m.name for r in workstream.rows for m in r.milestones] == ["Test plan", "Go-live"]
    assert found.rows[0].slipped and not found.rows[1].slipped
    fills = [s.get("fill") for s in found.figure["shapes"] if s["kind"] == "box"]
    assert SLIPPED in fills and FORECAST in fills
    assert found.figure["caption"] == "Roadmap of Portfolio under test, 2025/26 to 2027/28"
    client.force_login(viewer)
    page = client.get(reverse("workstreams:roadmap", args=[programme.pk])).content.decode()
    assert "<svg" in page and 'role="group"' in page  # each row a named link
    assert "Go-live: due 31 Mar 2027" in page and "(past its baseline)" in page


def test_the_roadmap_as_at_a_past_date_shows_the_plan_then(client, portfolio, pmo, viewer):
    ws_a = portfolio["ws_a"]
    dated(ws_a, by=pmo, start=date(2025, 6, 1), baseline=date(2026, 6, 30), forecast=date(2026, 6, 30),
          effective=date(2025, 6, 1))  # fmt: skip
    services.item_replan(item=ws_a, forecast_end_date=date(2027, 6, 30), by=pmo, reason="Slipped",
                         effective=date(2026, 8, 1))  # fmt: skip
    then = roadmap(portfolio["programme"], day=date(2026, 1, 1), moment=Moment(date(2026, 1, 1)))
    row = next(r for r in then.rows if r.name == "Workstream A")
    assert row.forecast_end == date(2026, 6, 30) and not row.slipped
    client.force_login(viewer)
    page = client.get(reverse("workstreams:roadmap", args=[portfolio["programme"].pk]) + "?as_at=2026-01-01")
    assert "30 Jun 2026" in page.content.decode() and "30 Jun 2027" not in page.content.decode()


def test_a_workstreams_roadmap_shows_its_projects(client, portfolio, pmo, lead_b):
    dated(
        portfolio["project_a"], by=pmo, start=date(2026, 4, 1), baseline=date(2026, 10, 1), forecast=date(2026, 10, 1)
    )
    client.force_login(lead_b)
    page = client.get(reverse("workstreams:workstream_roadmap", args=[portfolio["ws_a"].pk])).content.decode()
    assert "Project A" in page and "Project B" not in page


def test_the_roadmap_page_costs_the_same_queries_at_any_size(client, portfolio, pmo):
    from tests.factories import make_workstream

    client.force_login(pmo)
    url = reverse("workstreams:roadmap", args=[portfolio["programme"].pk])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    today = timezone.localdate()
    for n in range(6):
        ws = make_workstream(portfolio["programme"], by=pmo, name=f"More {n}")
        services.milestone_save(Milestone(workstream=ws, name="M", baseline_date=today + timedelta(days=n)), by=pmo,
                                reason="x")  # fmt: skip
    assert_pinned("workstreams:roadmap", [small, count()])
