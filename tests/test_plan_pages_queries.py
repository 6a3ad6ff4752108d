"""The money and plan pages each cost the same number of queries whatever the programme holds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance import services as finance_services
from finance.years import FinancialYear
from tests.factories import make_project
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Milestone

pytestmark = pytest.mark.django_db

PAGES = {
    "finance:workstream": lambda p: [p["ws_a"].pk],
    "finance:project": lambda p: [p["project_a"].pk],
    "finance:tolerance": lambda p: [p["programme"].pk],
    "finance:import": lambda p: [],
    "workstreams:project_milestone_create": lambda p: [p["project_a"].pk],
    "workstreams:milestone_edit": lambda p: [p["milestone"].pk],
    "workstreams:workstream_roadmap": lambda p: [p["ws_a"].pk],
}


def grow(portfolio, pmo, n):
    year = FinancialYear(2026)
    for i in range(n):
        project = make_project(portfolio["ws_a"], by=pmo, name=f"Grown {n}-{i}")
        finance_services.finance_year_save(
            subject=project, year=year, by=pmo, reason="x",
            values={(m, "capital"): {"budget": Decimal(100), "actual": Decimal(90)} for m in year.months()},
        )  # fmt: skip
        finance_services.finance_year_save(
            subject=portfolio["project_a"], year=year, by=pmo, reason=f"x{i}",
            values={(year.months()[i % 12], "revenue"): {"budget": Decimal(i + 1)}},
        )  # fmt: skip
        services.milestone_save(
            Milestone(project=project, name=f"M{i}", baseline_date=date(2026, 6, 1) + timedelta(days=i)),
            by=pmo, reason="x",
        )  # fmt: skip


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_money_and_plan_page_costs_the_same_queries_at_two_sizes(client, portfolio, pmo, name):
    finance_services.tolerance_set(programme=portfolio["programme"], percent=Decimal(5), amount=None, by=pmo,
                                   reason="x")  # fmt: skip
    portfolio["milestone"] = services.milestone_save(
        Milestone(project=portfolio["project_a"], name="Go-live", baseline_date=date(2027, 1, 1)), by=pmo, reason="x"
    )
    client.force_login(pmo)
    url = reverse(name, args=PAGES[name](portfolio))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    grow(portfolio, pmo, 1)
    small = count()
    grow(portfolio, pmo, 8)
    assert_pinned(name, [small, count()])
