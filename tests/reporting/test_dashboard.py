"""The executive dashboard: a chief officer reads the programme on one page and drills into any figure."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting import services as report_services
from reporting.models import Board
from risks import services as risk_services
from risks.models import RiskScheme
from risks.services import Scores
from tests.builders import build_portfolio, publish
from tests.querycounts import assert_pinned
from workstreams.models import Programme, StatusLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo")
    return Programme.objects.get(code="T2025")


def dashboard(client, programme, **params):
    return client.get(reverse("reporting:dashboard", args=[programme.pk]), params).content.decode()


def test_a_viewer_sees_the_status_per_dimension_with_its_trend(client, demo, viewer):
    client.force_login(viewer)
    page = dashboard(client, demo, as_at="2022-06-01")
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    # Overall, Risk and Funding: Red at the April board and again in June, two points of trend each.
    hidden = 'visually-hidden">{}: Red<'
    assert page.count(hidden.format("14 Apr 2022")) == 3 and page.count(hidden.format("1 Jun 2022")) == 3
    assert f"level-{red.pk}" in page
    assert "Last 2 updates, oldest first" in page


def test_every_count_links_to_the_items_behind_it(client, demo, viewer):
    client.force_login(viewer)
    page = dashboard(client, demo, as_at="2022-06-01")
    board = reverse("workstreams:board", args=[demo.pk])
    amber = StatusLevel.objects.get(scale__code="delivery", code="AMBER")
    assert f'href="{board}?level={amber.pk}&amp;as_at=2022-06-01">1 project' in page
    assert f'href="{board}?flag=no-update&amp;as_at=2022-06-01">12' in page
    # Planned closures: IOM and its Cambridge Harm Index project at the end of June, the FCR project in July.
    closing = page[page.index("Closing in the next 90 days") :]
    assert closing.index("Integrated Offender Management") < closing.index("FCR technology stabilisation")
    register = reverse("risks:register_list")
    assert "5 open risks</a>" in page and f'href="{register}?which=current&amp;likelihood=4&amp;impact=4' in page


def test_what_changed_is_counted_from_the_last_published_report(client, demo, viewer):
    client.force_login(viewer)
    page = dashboard(client, demo, as_at="2022-06-01")
    changes = reverse("workstreams:changes", args=[demo.pk])
    assert "Force Change Board, 14 April 2022" in page
    assert f'href="{changes}?since=2022-04-14&amp;until=2022-06-01"' in page
    assert "Training and guidance for the use of Civil Orders" in page  # moved by the review


def test_today_the_demo_shows_overdue_closures_and_stale_updates(client, demo, viewer):
    client.force_login(viewer)
    page = dashboard(client, demo)
    overdue = page[page.index("Past its end date") : page.index("Closing in the next 90 days")]
    assert "Integrated Offender Management" in overdue and "planned closure 30 Jun 2022" in overdue
    assert "Since <a" in page and "Audit Committee, 1 June 2022" in page


def test_a_programme_with_nothing_yet_says_so(client, viewer, pmo):
    from tests.factories import make_programme

    programme = make_programme(by=pmo, name="New programme")
    client.force_login(viewer)
    page = dashboard(client, programme)
    assert "No programme status has been recorded yet." in page
    assert "No report has been published for this programme yet" in page
    assert "holds no open risks" in page
    assert "No open workstreams." in page


@pytest.mark.parametrize("persona, status", [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_every_role_that_reads_the_portfolio_reads_the_dashboard(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("reporting:dashboard", args=[portfolio["programme"].pk])).status_code == status


def test_the_dashboard_makes_the_same_queries_at_two_sizes(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    counts = []
    for size in (5, 200):
        programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=3)
        register = risk_services.programme_register(programme, by=pmo)
        for n in range(size // 5 + 1):
            risk_services.risk_raise(
                register=register,
                title=f"Risk {n}",
                category=category,
                scores=Scores((5, 5), (1 + n % 5, 1 + (n // 5) % 5), (1, 1)),
                owner=pmo,
                by=pmo,
                raised_on=timezone.localdate() - timedelta(days=30),
            )
        report = report_services.report_create_draft(
            board=Board.objects.get(name="Executive"), programme=programme, meeting_date=date(2022, 2, 1), by=pmo
        )
        publish(report, pmo)
        with CaptureQueriesContext(connection) as ctx:
            page = dashboard(client, programme)
        assert f"{size // 5 + 1} open risk" in page
        counts.append(len(ctx.captured_queries))
    assert_pinned("reporting:dashboard", counts)


def test_as_at_a_past_date_the_risk_panel_shows_the_register_and_scheme_as_they_stood(client, viewer, pmo, portfolio):
    from reporting.dashboard import build_dashboard
    from risks.selectors import scheme_in_force

    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    risk_services.risk_raise(
        register=register, title="Funding gap", category=category,
        scores=Scores((4, 4), (4, 4), (1, 1)), by=pmo, raised_on=date(2022, 5, 1),
    )  # fmt: skip
    risk_services.risk_raise(
        register=register, title="Raised this year", category=category, scores=Scores((5, 5), (5, 5), (1, 1)), by=pmo
    )
    then = build_dashboard(portfolio["programme"], day=date(2022, 6, 1), as_at=date(2022, 6, 1))
    assert [r.title for r in then.top_risks] == ["Funding gap"] and then.risk_counts["total"] == 1
    now = build_dashboard(portfolio["programme"], day=timezone.localdate())
    assert [r.title for r in now.top_risks] == ["Raised this year", "Funding gap"]
    client.force_login(viewer)
    page = dashboard(client, portfolio["programme"], as_at="2022-06-01")
    assert "Funding gap" in page and "Raised this year" not in page
    assert f'href="{reverse("risks:risk", args=[then.top_risks[0].id])}">{register.code}-R001</a> Funding gap' in page
    assert f"{register.code}-R002</a> Raised this year" in dashboard(client, portfolio["programme"])
    # A scheme version made after the meeting does not band the meeting's risks.
    current = RiskScheme.objects.get(is_current=True)
    newer = risk_services.scheme_change(scheme=current, by=pmo, reason="Stricter", red_peak=12)
    assert newer.pk != current.pk
    assert scheme_in_force(date(2022, 6, 1)) == current
    assert scheme_in_force(timezone.localdate()) == newer
