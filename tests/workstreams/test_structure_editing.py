"""Creating and editing programmes, workstreams and projects in the browser forms."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from workstreams import services
from workstreams.models import Programme, Project, Workstream

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "allowed"), [("pmo", True), ("lead_a", False), ("viewer", False), ("no_role", False)]
)
def test_only_the_programme_office_creates_programmes(client, request, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("workstreams:programme_create")
    response = client.post(url, {"code": "est24", "name": "Estates 2024", "reason": "Approved by the Executive"})
    assert (client.get(url).status_code, response.status_code) == ((200, 302) if allowed else (403, 403))
    assert Programme.objects.filter(code="EST24").exists() == allowed
    if allowed:
        programme = Programme.objects.get(code="EST24")
        assert programme.dimensions.count() == 7
        assert programme.history.get().history_change_reason == "Approved by the Executive"


@pytest.mark.parametrize(
    ("persona", "kind", "item", "allowed"),
    [
        ("pmo", "programme", "programme", True),
        ("pmo", "workstream", "ws_b", True),
        ("pmo", "project", "project_b", True),
        ("lead_a", "workstream", "ws_a", True),
        ("lead_a", "project", "project_a", True),
        ("lead_a", "programme", "programme", False),
        ("lead_a", "workstream", "ws_b", False),
        ("lead_b", "project", "project_a", False),
        ("viewer", "workstream", "ws_a", False),
        ("no_role", "project", "project_a", False),
    ],
)
def test_who_may_edit_details(client, request, portfolio, persona, kind, item, allowed):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    target = portfolio[item]
    url = reverse(f"workstreams:{kind}_edit", args=[target.pk])
    data = {"name": "Renamed", "reason": "Clearer name", "order": 0}
    if kind == "programme":
        data["code"] = target.code
    get, post = client.get(url), client.post(url, data)
    target.refresh_from_db()
    if allowed:
        assert (get.status_code, post.status_code) == (200, 302)
        assert target.name == "Renamed"
        latest = target.history.first()
        assert (latest.history_user, latest.history_change_reason) == (user, "Clearer name")
    else:
        assert (get.status_code, post.status_code) == (403, 403)
        assert target.name != "Renamed"


def test_a_lead_edits_their_workstream_but_cannot_hand_it_to_someone_else(client, portfolio, lead_a, lead_b):
    client.force_login(lead_a)
    url = reverse("workstreams:workstream_edit", args=[portfolio["ws_a"].pk])
    assert 'name="lead"' not in client.get(url).content.decode()
    client.post(url, {"name": "Workstream A", "order": 0, "lead": lead_b.pk, "reason": "Handover"})
    assert Workstream.objects.get(pk=portfolio["ws_a"].pk).lead == lead_a


def test_leads_add_projects_to_their_own_workstream_only(client, portfolio, lead_a):
    client.force_login(lead_a)
    own = reverse("workstreams:project_create", args=[portfolio["ws_a"].pk])
    other = reverse("workstreams:project_create", args=[portfolio["ws_b"].pk])
    assert client.post(own, {"name": "Body-worn video", "reason": "Agreed at FCB"}).status_code == 302
    assert client.post(other, {"name": "Sneaky", "reason": "x"}).status_code == 403
    project = Project.objects.get(name="Body-worn video")
    assert (project.workstream, project.history.get().history_user) == (portfolio["ws_a"], lead_a)
    assert not Project.objects.filter(name="Sneaky").exists()


def test_a_new_workstream_with_its_baseline_takes_it_as_its_forecast(client, portfolio, pmo):
    client.force_login(pmo)
    url = reverse("workstreams:workstream_create", args=[portfolio["programme"].pk])
    client.post(url, {"name": "Digital Services", "order": 3, "baseline_end_date": "2023-03-31", "reason": "Review"})
    ws = Workstream.objects.get(name="Digital Services")
    assert (ws.baseline_end_date, ws.forecast_end_date) == (date(2023, 3, 31), date(2023, 3, 31))


def test_an_agreed_baseline_cannot_be_edited(client, portfolio, pmo):
    ws = portfolio["ws_a"]
    services.item_update(item=ws, changes={"baseline_end_date": date(2022, 6, 30)}, by=pmo, reason="Agreed")
    client.force_login(pmo)
    url = reverse("workstreams:workstream_edit", args=[ws.pk])
    assert "Agreed baseline; use Re-plan to change the forecast." in client.get(url).content.decode()
    client.post(url, {"name": "Workstream A", "order": 0, "baseline_end_date": "2023-01-01", "reason": "Sneaky"})
    ws.refresh_from_db()
    assert ws.baseline_end_date == date(2022, 6, 30)


def test_an_edit_without_a_reason_is_refused_next_to_the_field(client, portfolio, pmo):
    client.force_login(pmo)
    response = client.post(reverse("workstreams:project_edit", args=[portfolio["project_a"].pk]), {"name": "New name"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Project.objects.get(pk=portfolio["project_a"].pk).name == "Project A"


def test_two_sessions_editing_the_same_workstream_the_second_is_refused_with_the_first_change_shown(
    portfolio, pmo, lead_a
):
    ws = portfolio["ws_a"]
    url = reverse("workstreams:workstream_edit", args=[ws.pk])
    first, second = Client(), Client()
    first.force_login(pmo)
    second.force_login(lead_a)
    seen_first = first.get(url).context["form"]["seen_version"].value()
    seen_second = second.get(url).context["form"]["seen_version"].value()

    assert (
        first.post(
            url,
            {
                "name": "Force Control Room",
                "order": 1,
                "lead": lead_a.pk,
                "seen_version": seen_first,
                "reason": "Official name",
            },
        ).status_code
        == 302
    )
    refused = second.post(url, {"name": "FCR", "order": 0, "seen_version": seen_second, "reason": "Shorter"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "changed Force Control Room at" in html and "(Official name)" in html
    assert "Name: Workstream A → Force Control Room" in html
    assert 'value="FCR"' in html  # the second person's input is kept
    assert Workstream.objects.get(pk=ws.pk).name == "Force Control Room"  # the first change is intact


def test_a_closed_on_date_before_the_start_is_refused_when_editing_dates(client, portfolio, pmo):
    services.item_close(
        item=portfolio["project_a"], closed_on=date(2022, 5, 31), closure_note="Done", by=pmo, reason="Closed"
    )
    client.force_login(pmo)
    response = client.post(
        reverse("workstreams:project_edit", args=[portfolio["project_a"].pk]),
        {"name": "Project A", "start_date": "2022-06-15", "reason": "Correct the start"},
    )
    assert response.status_code == 400
    assert "The closed-on date cannot be before the start date." in response.content.decode()


def test_stages_are_the_organisations_list_apart_from_the_lifecycle(client, pmo, viewer, portfolio):
    from django.urls import reverse

    from changeprog.governance import save_governed
    from workstreams.models import Project, Stage

    discovery = save_governed(Stage(name="Discovery", order=1), by=pmo, reason="Our stages")
    delivery = save_governed(Stage(name="Delivery", order=3), by=pmo, reason="Our stages")
    retired = save_governed(Stage(name="Feasibility", order=0, active=False), by=pmo, reason="No longer used")
    project = portfolio["project_a"]
    client.force_login(pmo)
    form = client.get(reverse("workstreams:project_edit", args=[project.pk])).context["form"]
    assert list(form.fields["stage"].queryset) == [discovery, delivery]  # not the retired one
    response = client.post(
        reverse("workstreams:project_edit", args=[project.pk]),
        {"name": project.name, "stage": delivery.pk, "reason": "Passed the design gate"},
    )
    assert response.status_code == 302
    project = Project.objects.get(pk=project.pk)
    assert (project.stage, project.lifecycle) == (delivery, "active")
    assert project.history.latest("history_date").history_change_reason == "Passed the design gate"
    client.force_login(viewer)
    assert "Delivery" in client.get(project.get_absolute_url()).content.decode()
    listed = client.get(reverse("workstreams:project_list"), {"stage": delivery.pk}).context["table"]
    assert [row.name for row in listed.page.object_list.data] == [project.name]
    assert retired not in Stage.objects.filter(active=True)
