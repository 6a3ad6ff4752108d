"""Dependencies between projects and on things outside the programme, and the map that highlights them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from risks import services
from risks.models import Dependency
from tests.builders import build_portfolio
from tests.factories import make_programme, make_project, make_workstream
from tests.querycounts import assert_pinned
from workstreams import services as portfolio_services
from workstreams.models import Programme
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def test_a_dependency_is_on_exactly_one_thing(portfolio, pmo):
    with pytest.raises(ValidationError) as both:
        services.dependency_add(
            from_project=portfolio["project_a"], to_project=portfolio["project_b"], external_name="NEP", by=pmo
        )
    with pytest.raises(ValidationError) as neither:
        services.dependency_add(from_project=portfolio["project_a"], by=pmo)
    message = "Choose another project, or name what outside the programme it depends on (not both)."
    assert both.value.message_dict["to_project"] == [message] == neither.value.message_dict["to_project"]
    assert not Dependency.objects.exists()


def test_a_project_cannot_depend_on_itself_or_on_another_programme(portfolio, pmo):
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        services.dependency_add(from_project=portfolio["project_a"], to_project=portfolio["project_a"], by=pmo)
    elsewhere = make_project(make_workstream(make_programme(by=pmo), by=pmo), by=pmo)
    with pytest.raises(ValidationError, match="same programme"):
        services.dependency_add(from_project=portfolio["project_a"], to_project=elsewhere, by=pmo)


def test_the_project_page_lists_both_directions(client, portfolio, pmo, viewer):
    services.dependency_add(
        from_project=portfolio["project_a"],
        to_project=portfolio["project_b"],
        description="Needs the data model",
        by=pmo,
    )
    services.dependency_add(
        from_project=portfolio["project_b"],
        external_name="National Enabling Programme",
        external_kind="national",
        by=pmo,
    )
    client.force_login(viewer)
    a = client.get(reverse("risks:project", args=[portfolio["project_a"].pk])).content.decode()
    b = client.get(reverse("risks:project", args=[portfolio["project_b"].pk])).content.decode()
    assert "Needs the data model" in a
    assert "National Enabling Programme" in b and ">Project A</a>" in b  # depends on NEP; Project A depends on it


@pytest.mark.parametrize(
    ("persona", "allowed"), [("pmo", True), ("lead_a", True), ("lead_b", False), ("viewer", False)]
)
def test_who_records_a_projects_dependencies(client, request, portfolio, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("risks:dependency_create", args=[portfolio["project_a"].pk]),
        {"to_project": portfolio["project_b"].pk, "kind": "technical"},
    )
    assert response.status_code == (302 if allowed else 403)
    assert Dependency.objects.exists() == allowed


def test_the_map_flags_red_overdue_and_cross_workstream_dependencies(client, portfolio, pmo, viewer, rag):
    portfolio_services.status_update_submit(
        subject=portfolio["project_b"],
        as_of=date(2022, 6, 1),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["RED"], "No capacity")],
        by=pmo,
    )
    services.dependency_add(
        from_project=portfolio["project_a"], to_project=portfolio["project_b"], needed_by=date(2022, 1, 1), by=pmo
    )
    client.force_login(viewer)
    html = client.get(reverse("risks:dependency_map", args=[portfolio["programme"].pk])).content.decode()
    assert "on something Red, overdue, crosses workstreams" in html
    assert 'stroke="#D4351C"' in html and 'stroke-dasharray="6 4"' in html


def test_the_demo_dependencies_show_the_linkages_the_report_names(client, viewer):
    call_command("load_demo")
    programme = Programme.objects.get(code="T2025")
    client.force_login(viewer)
    html = client.get(reverse("risks:dependency_map", args=[programme.pk])).content.decode()
    assert html.count("<tr><td><a href=") == 7
    assert "Learning &amp; Development Unit transformation project (Other)" in html


def test_the_dependency_map_makes_the_same_queries_at_two_sizes(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    counts = []
    for size in (6, 120):
        programme, _, projects = build_portfolio(projects=size, by=pmo, updates_per_item=1)
        for n in range(size - 1):
            services.dependency_add(from_project=projects[n], to_project=projects[n + 1], by=pmo)
            services.dependency_add(
                from_project=projects[n], external_name=f"Supplier {n % 3}", external_kind="supplier", by=pmo
            )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("risks:dependency_map", args=[programme.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("risks:dependency_map", counts)
