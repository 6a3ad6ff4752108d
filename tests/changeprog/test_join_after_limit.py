"""A page of rows read with `JoinAfterLimitPaginator` (and `joined_after_limit`) holds the same rows, in the same
order, as Django's paginator gives, with their related rows read in the same query; the database sorts and limits
by id before it joins, so a page's joins are made for its own rows only."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changeprog.paginators import JoinAfterLimitPaginator, joined_after_limit
from tests import factories
from workstreams.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(portfolio, pmo):
    for n in range(11):
        workstream = portfolio["ws_a"] if n % 2 else portfolio["ws_b"]
        # Names that sort apart from the order they were made in, with ties broken by id.
        factories.make_project(workstream, by=pmo, name=f"Project {(n * 7) % 5}")
    return Project.objects.select_related("workstream__programme", "manager").order_by("name", "pk")


def test_every_page_holds_the_same_rows_in_the_same_order_as_djangos_paginator(projects):
    ours, django_s = JoinAfterLimitPaginator(projects, 4, orphans=1), Paginator(projects, 4, orphans=1)
    assert ours.num_pages == django_s.num_pages == 3
    for number in ours.page_range:
        assert [p.pk for p in ours.page(number)] == [p.pk for p in django_s.page(number)]
    assert len(ours.page(3)) == 5  # the orphan joins the last page, as Django's does


def test_a_pages_rows_come_with_their_related_rows_in_one_query_limited_before_the_join(projects):
    page = JoinAfterLimitPaginator(projects, 4).page(2)
    with CaptureQueriesContext(connection) as queries:
        rows = list(page)
        names = [(p.workstream.programme.code, p.workstream.name, p.manager_id) for p in rows]
    assert len(names) == 4 and len(queries) == 1
    sql = queries[0]["sql"]
    inner = sql[sql.index("IN (SELECT") :]
    assert "LIMIT 4" in inner and "OFFSET 4" in inner
    assert '"workstreams_workstream"' not in inner.split("LIMIT")[0]  # the join is outside the limited choice


def test_the_first_rows_alone(projects):
    first = list(joined_after_limit(projects, 0, 3))
    assert [p.pk for p in first] == [p.pk for p in projects[:3]]
