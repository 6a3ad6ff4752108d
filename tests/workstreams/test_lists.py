"""The projects and workstreams lists: rights, filters, sorting, pagination and the Excel export."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from demo.portfolio import load_demo
from tests.builders import build_portfolio
from tests.querycounts import assert_pinned
from workstreams import services

pytestmark = pytest.mark.django_db

LISTS = ["workstreams:project_list", "workstreams:workstream_list"]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_who_may_read_the_lists(client, request, portfolio, name, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(name))
    assert response.status_code == status
    if status == 200:
        assert "Workstream A" in response.content.decode()
    assert client.get(reverse(name), {"export": "xlsx"}).status_code == status


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def workbook_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_excel_export_holds_exactly_the_filtered_rows(client, viewer):
    load_demo(password="x" * 16)
    client.force_login(viewer)
    pce = client.get(reverse("workstreams:workstream_list"), {"q": "Public Contact"}).context["table"].data.data[0]
    response = client.get(reverse("workstreams:project_list"), {"workstream": pce.pk, "export": "xlsx"})
    rows = workbook_rows(response)
    assert rows[0][:3] == ["Programme", "Workstream", "Project"]
    assert sorted(r[2] for r in rows[1:]) == [
        "Future development of FCR technology",
        "SOLH technology exploitation review",
        "Social Media technology exploitation review",
        "Use of Consumer Insights review",
    ]
    assert {r[1] for r in rows[1:]} == {"Public Contact & Engagement"}
    page = client.get(reverse("workstreams:project_list"), {"workstream": pce.pk}).content.decode()
    assert "4 rows." in page


def test_the_export_carries_status_dates_and_people(client, viewer):
    load_demo(password="x" * 16)
    client.force_login(viewer)
    rows = workbook_rows(
        client.get(reverse("workstreams:project_list"), {"q": "FCR technology stabilisation", "export": "xlsx"})
    )
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert record["Latest status"] == "Amber"
    assert record["Manager"] == "Workstream Lead"
    assert record["Status as at"].date() == date(2022, 6, 1)
    assert record["Lifecycle"] == "Closing"


def test_the_slipped_filter_finds_projects_past_their_baseline(client, pmo, portfolio):
    project = portfolio["project_a"]
    services.item_replan(item=project, forecast_end_date=date(2022, 3, 31), by=pmo, reason="Plan")
    services.item_replan(item=project, forecast_end_date=date(2022, 9, 30), by=pmo, reason="Slip")
    client.force_login(pmo)
    html = client.get(reverse("workstreams:project_list"), {"slipped": "true"}).content.decode()
    assert "Project A" in html and "Project B" not in html


def test_lists_sort_and_paginate(client, pmo):
    build_portfolio(projects=120, by=pmo, workstreams=2, updates_per_item=1)
    client.force_login(pmo)
    first = client.get(reverse("workstreams:project_list"), {"sort": "-name"}).content.decode()
    assert "120 rows." in first and "Project 00119" in first and "Project 00000" not in first
    last = client.get(reverse("workstreams:project_list"), {"sort": "-name", "page": 3}).content.decode()
    assert "Project 00000" in last


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("params", [{}, {"export": "xlsx"}, {"lifecycle": "active", "sort": "headline"}])
def test_lists_make_the_same_queries_at_two_sizes(client, pmo, name, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        build_portfolio(projects=size, by=pmo)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned(f"{name} {sorted(params.items())}", counts)


def test_the_workstream_filter_offers_the_chosen_programmes_workstreams_only(client, viewer, pmo, portfolio):
    """A select of every workstream would grow with the organisation: it offers the chosen programme's."""
    from tests import factories

    other = factories.make_programme(by=pmo, name="Another")
    elsewhere = factories.make_workstream(other, by=pmo, name="Elsewhere")
    client.force_login(viewer)
    url = reverse("workstreams:project_list")

    def offered(params):
        field = client.get(url, params).context["filter"].form.fields["workstream"]
        return {label for value, label in field.choices if value}

    assert offered({}) == set()
    assert offered({"programme": portfolio["programme"].pk}) == {"Workstream A", "Workstream B"}
    assert offered({"programme": other.pk}) == {"Elsewhere"}
    # A link straight to one workstream's projects still works, without its programme.
    response = client.get(url, {"workstream": elsewhere.pk})
    assert response.status_code == 200 and offered({"workstream": elsewhere.pk}) == {"Elsewhere"}
