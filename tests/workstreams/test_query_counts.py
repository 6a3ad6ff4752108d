"""Pages make the same number of queries whatever the size of the portfolio."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import build_portfolio
from tests.querycounts import assert_pinned

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", ["home", "programme", "workstream", "project"])
def test_portfolio_pages_make_the_same_queries_with_5_and_500_projects(client, pmo, page):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, streams, projects = build_portfolio(projects=size, by=pmo)
        url = {
            "home": reverse("workstreams:programme_list"),
            "programme": programme.get_absolute_url(),
            "workstream": streams[0].get_absolute_url(),
            "project": projects[-1].get_absolute_url(),
        }[page]
        count, html = queries_for(client, url)
        counts.append(count)
        if page == "programme":
            assert html.count('<th scope="row"><a href="/projects/') == size
    assert_pinned(f"workstreams:{'programme_list' if page == 'home' else page}", counts)


def test_the_record_update_form_makes_the_same_queries_at_two_sizes(client, pmo):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, streams, _ = build_portfolio(projects=size, by=pmo, updates_per_item=3)
        url = reverse("workstreams:workstream_record_update", args=[streams[0].pk])
        counts.append(queries_for(client, url)[0])
    assert_pinned("workstreams:workstream_record_update", counts)


@pytest.mark.parametrize("page", ["programme", "workstream", "project"])
def test_pages_as_at_a_date_make_the_same_queries_at_two_sizes(client, pmo, page):
    from django.utils import timezone

    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, streams, projects = build_portfolio(projects=size, by=pmo)
        url = {
            "programme": programme.get_absolute_url(),
            "workstream": streams[0].get_absolute_url(),
            "project": projects[-1].get_absolute_url(),
        }[page]
        counts.append(queries_for(client, f"{url}?as_at={timezone.localdate():%Y-%m-%d}")[0])
    assert_pinned(f"workstreams:{page} as at", counts)


@pytest.mark.parametrize("params", [{}, {"as_at": "2022-06-15"}, {"flag": "no-update", "lifecycle": "active"}])
def test_the_board_makes_the_same_queries_at_two_sizes(client, pmo, params):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, _, _ = build_portfolio(projects=size, by=pmo)
        query = "&".join(f"{k}={v}" for k, v in params.items())
        counts.append(queries_for(client, f"{reverse('workstreams:board', args=[programme.pk])}?{query}")[0])
    assert_pinned(f"workstreams:board {sorted(params)}", counts)


def test_what_changed_makes_the_same_queries_at_two_sizes(client, pmo):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, streams, projects = build_portfolio(projects=size, by=pmo, updates_per_item=3)
        url = reverse("workstreams:changes", args=[programme.pk])
        count, html = queries_for(client, f"{url}?since=2021-12-31&until=2022-12-31")
        counts.append(count)
        assert "change-status" in html
    assert_pinned("workstreams:changes", counts)


def test_the_review_form_makes_the_same_queries_at_two_sizes(client, pmo):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, _, _ = build_portfolio(projects=size, by=pmo)
        counts.append(queries_for(client, reverse("workstreams:review", args=[programme.pk]))[0])
    assert_pinned("workstreams:review", counts)


@pytest.mark.parametrize(
    "page", ["programme_edit", "workstream_edit", "project_edit", "workstream_create", "project_create"]
)
def test_edit_and_create_forms_make_the_same_queries_at_two_sizes(client, pmo, page):
    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, streams, projects = build_portfolio(projects=size, by=pmo)
        target = {
            "programme_edit": programme,
            "workstream_edit": streams[0],
            "project_edit": projects[-1],
            "workstream_create": programme,
            "project_create": streams[0],
        }[page]
        counts.append(queries_for(client, reverse(f"workstreams:{page}", args=[target.pk]))[0])
    assert_pinned(f"workstreams:{'programme_list' if page == 'home' else page}", counts)


def test_the_correction_form_makes_the_same_queries_at_two_sizes(client, pmo):
    from workstreams.models import StatusUpdate

    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        _, streams, _ = build_portfolio(projects=size, by=pmo, updates_per_item=3)
        update = StatusUpdate.objects.filter(workstream=streams[0]).first()
        counts.append(queries_for(client, reverse("workstreams:update_correct", args=[update.pk]))[0])
    assert_pinned("workstreams:update_correct", counts)


@pytest.mark.parametrize("page", ["programme", "board"])
def test_pages_as_recorded_on_a_day_make_the_same_queries_at_two_sizes(client, pmo, page):
    from django.utils import timezone

    client.force_login(pmo)
    counts = []
    for size in (5, 500):
        programme, _, _ = build_portfolio(projects=size, by=pmo)
        url = programme.get_absolute_url() if page == "programme" else reverse("workstreams:board", args=[programme.pk])
        count, html = queries_for(client, f"{url}?as_at=2022-06-15&recorded_on={timezone.localdate():%Y-%m-%d}")
        counts.append(count)
    assert_pinned(f"workstreams:{page} as recorded on", counts)


def test_the_import_batch_page_makes_the_same_queries_at_two_sizes(client, pmo):
    from workstreams.models import ImportBatch, Project, StatusUpdate

    client.force_login(pmo)
    counts = []
    for n, size in enumerate((5, 300)):
        programme, streams, projects = build_portfolio(projects=size, by=pmo)
        batch = ImportBatch.objects.create(file_name=f"t{n}.xlsx", checksum=str(n) * 64, imported_by=pmo)
        Project.objects.filter(pk__in=[p.pk for p in projects]).update(import_batch=batch)
        StatusUpdate.objects.filter(project__in=projects).update(import_batch=batch)
        count, html = queries_for(client, batch.get_absolute_url())
        counts.append(count)
        assert html.count('<li><a href="/projects/') == min(size, 100)
    assert_pinned("workstreams:import_batch", counts)
