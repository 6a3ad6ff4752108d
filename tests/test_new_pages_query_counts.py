"""The pages added for any organisation's data cost a fixed number of queries whatever the portfolio holds: the
register import pages, the API token page and the portfolios list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changeprog.governance import save_governed
from tests.builders import build_portfolio
from tests.querycounts import assert_pinned
from workstreams.models import Portfolio

pytestmark = pytest.mark.django_db

PAGES = [
    ("risks:import", "pmo"),
    ("risks:dependencies_import", "pmo"),
    ("risks:assessments_import", "pmo"),
    ("assurance:benefits_import", "pmo"),
    ("assurance:drivers_import", "pmo"),
    ("api:token", "viewer"),
    ("workstreams:portfolios", "viewer"),
]


@pytest.mark.parametrize(("name", "persona"), PAGES)
def test_the_page_costs_the_same_queries_at_two_sizes(client, request, pmo, name, persona):
    client.force_login(request.getfixturevalue(persona))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    build_portfolio(projects=5, by=pmo)
    save_governed(Portfolio(code="P1", name="First"), by=pmo, reason="Set up")
    small = count()
    build_portfolio(projects=60, by=pmo)
    for n in range(2, 12):
        save_governed(Portfolio(code=f"P{n}", name=f"Portfolio {n}"), by=pmo, reason="Set up")
    assert_pinned(name, [small, count()])
