""" "What changed": every movement between two dates, with who and why."""

from datetime import date

import pytest
from django.urls import reverse

from demo.portfolio import load_demo
from workstreams import services
from workstreams.models import Workstream
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def changes_url(programme):
    return reverse("workstreams:changes", args=[programme.pk])


@pytest.fixture
def demo():
    return load_demo(password="x" * 16)[0]


@pytest.mark.parametrize("persona", ["pmo", "lead_a", "viewer"])
def test_every_role_reads_what_changed(client, request, demo, persona):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(changes_url(demo), {"since": "2022-04-14", "until": "2022-06-01"}).content.decode()
    assert "changes that took effect after 14 Apr 2022 up to and including 1 Jun 2022" in html


def test_no_role_and_anonymous_cannot_read_what_changed(client, demo, no_role):
    assert client.get(changes_url(demo)).status_code == 302
    client.force_login(no_role)
    assert client.get(changes_url(demo)).status_code == 403


def test_the_demo_review_shows_as_moves_closures_and_new_workstreams(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-04-14", "until": "2022-06-01"}).content.decode()
    assert "Vulnerability (Prevention/Engagement &amp; Missing) → Public Contact &amp; Engagement" in html
    assert html.count('<tr class="change change-closed">') == 2
    assert html.count('<tr class="change change-new">') == 8  # five workstreams and three projects
    assert "Programme review" in html


def test_a_worse_status_is_listed_with_its_arrow_who_and_why(client, pmo, viewer, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    red = demo.dimensions.get(code="overall").scale.levels.get(code="RED")
    services.status_update_submit(
        subject=fcr,
        as_of=date(2022, 6, 20),
        ratings=[RatingInput(demo.dimensions.get(code="overall"), red, "IT capacity withdrawn")],
        by=pmo,
    )
    client.force_login(viewer)
    html = client.get(
        changes_url(demo), {"since": "2022-06-01", "until": "2022-06-30", "kind": "status"}
    ).content.decode()
    row = next(r for r in html.split("<tr") if "Force Control Room" in r)
    assert "Amber</span> →" in row and "Red</span>" in row
    assert '<span aria-hidden="true">▼</span> worse' in row
    assert pmo.get_full_name() in row and "IT capacity withdrawn" in row
    assert "1 change that took effect after" in html


def test_a_better_status_is_listed_as_better(client, pmo, viewer, demo):
    rm = Workstream.objects.get(name="Resource Management")
    overall = demo.dimensions.get(code="overall")
    services.status_update_submit(
        subject=rm,
        as_of=date(2022, 7, 1),
        ratings=[RatingInput(overall, overall.scale.levels.get(code="AMBER"), "HR post funded")],
        by=pmo,
    )
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-06-15", "until": "2022-07-31"}).content.decode()
    assert '<span aria-hidden="true">▲</span> better' in html


def test_dates_in_the_wrong_order_are_refused_with_a_message(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(changes_url(demo), {"since": "2022-06-01", "until": "2022-04-14"}).content.decode()
    assert "The start must be before the end." in html
