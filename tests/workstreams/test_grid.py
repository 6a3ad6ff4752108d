"""The grid update: a programme's (or workstream's) items on one page, recorded together or not at all."""

from datetime import date

import pytest
from django.urls import reverse

from tests.builders import build_portfolio
from tests.querycounts import assert_pinned
from tests.workstreams.test_query_counts import queries_for
from workstreams import services
from workstreams.models import StatusUpdate
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def grid_url(item, kind="programme"):
    return reverse(f"workstreams:{kind}_grid", args=[item.pk])


def row_fields(page_html, prefix):
    return f'name="{prefix}-record"' in page_html


def grid_post(rows: dict, *, as_of="2022-06-01", token=None):
    """The grid as the page posts it: {prefix: {"record": bool, "overall": level, "reason": ..., ...}}."""
    data = {"as_of": as_of}
    if token:
        data["submission_token"] = token
    for prefix, row in rows.items():
        if row.get("record", True):
            data[f"{prefix}-record"] = "on"
        for key, value in row.items():
            if key == "record":
                continue
            if key in ("reason", "progress", "seen_version"):
                data[f"{prefix}-{key}"] = value
            else:
                data[f"{prefix}-rating_{key}"] = value.pk if value else ""
    return data


def record(item, level, *, by, as_of=date(2022, 5, 1), dimension="overall"):
    programme = getattr(item, "programme", None) or item.workstream.programme
    if isinstance(item, type(programme)):
        programme = item
    dims = {d.code: d for d in services.dimensions_for(item)}
    return services.status_update_submit(
        subject=item, as_of=as_of, ratings=[RatingInput(dims[dimension], level, "Why")], reason="Why", by=by
    )


@pytest.mark.parametrize(
    ("persona", "rows", "status"),
    [
        ("pmo", {"programme", "workstream-a", "project-a", "workstream-b", "project-b"}, 200),
        ("lead_a", {"workstream-a", "project-a"}, 200),
        ("lead_b", {"workstream-b", "project-b"}, 200),
        ("viewer", set(), 403),
        ("no_role", set(), 403),
    ],
)
def test_each_person_gets_a_row_for_each_open_item_they_may_update(client, request, portfolio, persona, rows, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(grid_url(portfolio["programme"]))
    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    prefixes = {
        "programme": f"programme-{portfolio['programme'].pk}",
        "workstream-a": f"workstream-{portfolio['ws_a'].pk}",
        "project-a": f"project-{portfolio['project_a'].pk}",
        "workstream-b": f"workstream-{portfolio['ws_b'].pk}",
        "project-b": f"project-{portfolio['project_b'].pk}",
    }
    shown = {name for name, prefix in prefixes.items() if row_fields(html, prefix)}
    assert shown == rows


def test_anonymous_visitors_are_sent_to_sign_in(client, portfolio):
    response = client.get(grid_url(portfolio["programme"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_rows_start_from_last_periods_levels_and_owing_rows_are_ticked(client, pmo, portfolio, rag):
    record(portfolio["ws_a"], rag["AMBER"], by=pmo)
    client.force_login(pmo)
    html = client.get(grid_url(portfolio["programme"])).content.decode()
    ws_a = f"workstream-{portfolio['ws_a'].pk}"
    select = html.split(f'name="{ws_a}-rating_overall"')[1].split("</select>")[0]
    assert f'value="{rag["AMBER"].pk}" selected' in select
    # An update dated May 2022 is long past: the row still owes this period's and is ticked.
    assert f'name="{ws_a}-record" id="id_{ws_a}-record" checked' in html


def test_a_lead_records_their_rows_in_one_step_with_reasons_where_needed(client, lead_a, portfolio, rag):
    client.force_login(lead_a)
    ws, project = portfolio["ws_a"], portfolio["project_a"]
    response = client.post(
        grid_url(portfolio["programme"]),
        grid_post(
            {
                f"workstream-{ws.pk}": {"overall": rag["GREEN"], "progress": "Training done"},
                f"project-{project.pk}": {"overall": rag["RED"], "reason": "Supplier late"},
            }
        ),
    )
    assert response.status_code == 302 and response["Location"] == portfolio["programme"].get_absolute_url()
    ws_update = StatusUpdate.objects.get(workstream=ws)
    assert (ws_update.as_of, ws_update.progress, ws_update.author) == (date(2022, 6, 1), "Training done", lead_a)
    project_update = StatusUpdate.objects.get(project=project)
    assert [(r.level, project_update.reason) for r in project_update.ratings.all()] == [(rag["RED"], "Supplier late")]
    assert project_update.history.first().history_user == lead_a


def test_one_row_in_error_saves_nothing_and_keeps_every_row_as_typed(client, lead_a, portfolio, rag):
    client.force_login(lead_a)
    ws, project = portfolio["ws_a"], portfolio["project_a"]
    response = client.post(
        grid_url(portfolio["programme"]),
        grid_post(
            {
                f"workstream-{ws.pk}": {"overall": rag["GREEN"], "progress": "Training done"},
                f"project-{project.pk}": {"overall": rag["RED"], "reason": ""},
            }
        ),
    )
    assert response.status_code == 400
    assert not StatusUpdate.objects.exists()
    html = response.content.decode()
    assert 'id="form-errors"' in html and "Nothing was saved" in html
    assert "A Red rating for Overall needs a reason." in html
    assert f'href="#id_project-{project.pk}-rating_overall"' in html  # the summary links to the field
    assert ">Training done</textarea>" in html
    green = html.split(f'name="workstream-{ws.pk}-rating_overall"')[1].split("</select>")[0]
    assert f'value="{rag["GREEN"].pk}" selected' in green


def test_a_row_for_a_date_already_reported_offers_the_correction_and_saves_nothing(client, pmo, portfolio, rag):
    existing = record(portfolio["ws_b"], rag["AMBER"], by=pmo, as_of=date(2022, 6, 1))
    client.force_login(pmo)
    rows = {f"workstream-{portfolio['ws_a'].pk}": {"overall": rag["GREEN"]}}
    rows[f"workstream-{portfolio['ws_b'].pk}"] = {"overall": rag["GREEN"], "seen_version": ""}
    response = client.post(grid_url(portfolio["programme"]), grid_post(rows))
    assert response.status_code == 400
    assert reverse("workstreams:update_correct", args=[existing.pk]) in response.content.decode()
    assert StatusUpdate.objects.count() == 1


def test_an_update_recorded_by_someone_else_after_the_grid_opened_is_not_overwritten(
    client, pmo, lead_a, portfolio, rag
):
    client.force_login(lead_a)
    ws = portfolio["ws_a"]
    page = client.get(grid_url(portfolio["programme"])).content.decode()
    seen = page.split(f'name="workstream-{ws.pk}-seen_version" value="')[1].split('"')[0]
    record(ws, rag["RED"], by=pmo, as_of=date(2022, 5, 20))
    response = client.post(
        grid_url(portfolio["programme"]),
        grid_post({f"workstream-{ws.pk}": {"overall": rag["GREEN"], "seen_version": seen}}),
    )
    assert response.status_code == 400
    assert "after you opened this form" in response.content.decode()
    assert list(StatusUpdate.objects.filter(workstream=ws).values_list("as_of", flat=True)) == [date(2022, 5, 20)]


def test_unticked_rows_are_left_alone_and_a_grid_with_none_ticked_says_so(client, pmo, portfolio, rag):
    client.force_login(pmo)
    response = client.post(
        grid_url(portfolio["programme"]),
        grid_post({f"workstream-{portfolio['ws_a'].pk}": {"record": False, "overall": rag["GREEN"]}}),
    )
    assert response.status_code == 400
    assert "Tick at least one row to record." in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_submitting_the_same_grid_twice_records_once(client, lead_a, portfolio, rag):
    client.force_login(lead_a)
    data = grid_post(
        {f"workstream-{portfolio['ws_a'].pk}": {"overall": rag["GREEN"]}}, token="7c3f1a52-4b1e-4d8e-9d1a-3b2f5c6d7e8f"
    )
    first = client.post(grid_url(portfolio["programme"]), data)
    second = client.post(grid_url(portfolio["programme"]), data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert StatusUpdate.objects.count() == 1


def test_a_workstream_grid_holds_the_workstream_and_its_projects(client, lead_b, portfolio):
    client.force_login(lead_b)
    html = client.get(grid_url(portfolio["ws_b"], "workstream")).content.decode()
    assert row_fields(html, f"workstream-{portfolio['ws_b'].pk}")
    assert row_fields(html, f"project-{portfolio['project_b'].pk}")
    assert client.get(grid_url(portfolio["ws_a"], "workstream")).status_code == 403


def test_the_programme_page_offers_the_grid_to_those_who_can_use_it(client, request, portfolio):
    for persona, offered in (("pmo", True), ("lead_a", True), ("viewer", False)):
        client.force_login(request.getfixturevalue(persona))
        html = client.get(portfolio["programme"].get_absolute_url()).content.decode()
        assert (grid_url(portfolio["programme"]) in html) is offered, persona


def test_the_grid_makes_the_same_queries_at_two_sizes(client, pmo):
    client.force_login(pmo)
    counts = []
    for size in (5, 120):
        programme, _, _ = build_portfolio(projects=size, by=pmo)
        count, html = queries_for(client, grid_url(programme))
        assert html.count('-record"') >= size
        counts.append(count)
    assert_pinned("workstreams:programme_grid", counts)


def test_a_programme_too_big_for_one_page_offers_a_grid_per_workstream(client, pmo):
    client.force_login(pmo)
    programme, streams, _ = build_portfolio(projects=400, by=pmo)
    count, html = queries_for(client, grid_url(programme))
    assert 'name="as_of"' not in html
    for stream in streams:
        assert grid_url(stream, "workstream") in html
    assert count == 14  # the grid's reads but the rows' versions: no row form is built
    _, one_stream = queries_for(client, grid_url(streams[0], "workstream"))
    assert one_stream.count('-record" id=') == 81  # the workstream and its 80 projects


def test_a_dimension_a_row_does_not_report_on_reads_not_reported_in_its_column(client, pmo, portfolio, rag):
    from workstreams.models import StatusDimension

    programme = portfolio["programme"]
    benefits = StatusDimension.objects.filter(programme=programme).order_by("order", "name").last()
    StatusDimension.objects.filter(pk=benefits.pk).update(applies_to_projects=False)
    record(portfolio["ws_a"], rag["AMBER"], by=pmo)
    client.force_login(pmo)
    html = client.get(grid_url(programme)).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr ")[1:]
    columns = StatusDimension.objects.filter(programme=programme).count()
    for row in rows:
        project_row = 'name="project-' in row
        cells = row.split("</th>")[1].count("<td>") - 2  # less the reason and progress cells
        assert cells == columns
        assert row.count("Not reported") == (1 if project_row else 0)
        assert row.count("<select") == columns - (1 if project_row else 0)
    assert sum('name="project-' in row for row in rows) == 2
