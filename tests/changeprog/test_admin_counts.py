"""The administration's lists cost the same however many records the years bring: each counts at most a capped
number of rows, says "more than" past it, and is exact below it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changeprog.paginators import CappedCountPaginator
from tests.builders import build_portfolio
from workstreams.models import StatusUpdate


def _count_queries(queries):
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


def test_an_administrator_sees_more_than_the_cap_and_the_count_reads_no_further(client, superuser, pmo, monkeypatch):
    build_portfolio(projects=4, by=pmo, workstreams=2, updates_per_item=2)
    assert StatusUpdate.objects.count() > 5
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:workstreams_statusupdate_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "More than 5 status updates: filter or search to narrow them." in html
    counts = _count_queries(queries)
    assert len(counts) == 1, counts  # no second count of the whole table
    assert re.search(r"LIMIT 6\b", counts[0]), counts[0]


def test_a_list_within_the_cap_is_counted_exactly(client, superuser, pmo, monkeypatch):
    programme, _, _ = build_portfolio(projects=4, by=pmo, workstreams=2, updates_per_item=2)
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    client.force_login(superuser)
    own = StatusUpdate.objects.filter(programme=programme).count()
    assert 0 < own <= 5
    response = client.get(reverse("admin:workstreams_statusupdate_changelist"), {"programme__id__exact": programme.pk})
    html = response.content.decode()
    assert f"{own} status update" in html
    assert "More than" not in html
