"""The admin obeys the same rules as the app: creation runs the services' defaults, governed fields are read only
there, what the domain freezes cannot be changed or deleted, and nothing is deleted in bulk."""

from datetime import date

import pytest
from django.urls import reverse

from reporting import services as report_services
from reporting.models import Board, Report
from tests.builders import publish
from workstreams import services
from workstreams.models import Programme, Project, StatusDimension

pytestmark = pytest.mark.django_db


def test_a_programme_added_in_the_admin_gets_the_default_dimensions_and_its_reason(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:workstreams_programme_add"),
        {
            "code": "ADM1",
            "name": "Added in the admin",
            "organisation": "Anyshire",
            "description": "",
            "lifecycle": "active",
            "change_reason": "Set up by the administrator",
            "dimensions-TOTAL_FORMS": "0",
            "dimensions-INITIAL_FORMS": "0",
            "workstreams-TOTAL_FORMS": "0",
            "workstreams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(code="ADM1")
    defaults = set(StatusDimension.objects.filter(programme__isnull=True).values_list("code", flat=True))
    assert set(programme.dimensions.values_list("code", flat=True)) == defaults
    row = programme.history.get()
    assert (row.history_user, row.history_change_reason) == (superuser, "Set up by the administrator")


def project_post(project, **changes):
    data = {
        "workstream": project.workstream_id,
        "name": project.name,
        "description": project.description,
        "manager": project.manager_id or "",
        "national": "",
        "start_date": "",
        "planned_closure_date": "",
        "embedding_owner": "",
        "change_reason": "Admin edit",
    }
    data.update(changes)
    return data


def test_an_agreed_baseline_cannot_be_changed_in_the_admin(client, superuser, pmo, portfolio):
    project = portfolio["project_a"]
    services.item_update(item=project, changes={"baseline_end_date": date(2023, 3, 31)}, by=pmo, reason="Agreed")
    client.force_login(superuser)
    url = reverse("admin:workstreams_project_change", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'name="baseline_end_date"' not in page and 'name="lifecycle"' not in page and 'name="workstream"' not in page
    response = client.post(url, project_post(project, name="Renamed in the admin", baseline_end_date="2030-01-01"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.baseline_end_date) == ("Renamed in the admin", date(2023, 3, 31))
    row = project.history.order_by("-history_id").first()
    assert (row.history_user, row.history_change_reason) == (superuser, "Admin edit")


def test_portfolio_items_and_recorded_updates_are_never_deleted_in_the_admin(client, superuser, portfolio):
    client.force_login(superuser)
    project = portfolio["project_a"]
    assert client.get(reverse("admin:workstreams_project_delete", args=[project.pk])).status_code == 403
    assert (
        client.post(reverse("admin:workstreams_project_delete", args=[project.pk]), {"post": "yes"}).status_code == 403
    )
    assert Project.objects.filter(pk=project.pk).exists()
    changelist = client.get(reverse("admin:workstreams_project_changelist")).content.decode()
    assert "delete_selected" not in changelist
    assert client.get(reverse("admin:workstreams_statusupdate_add")).status_code == 403


def test_a_published_paper_can_be_neither_changed_nor_deleted_in_the_admin(client, superuser, pmo, portfolio):
    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    publish(report, pmo)
    client.force_login(superuser)
    delete = reverse("admin:reporting_report_delete", args=[report.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()
    assert "delete_selected" not in client.get(reverse("admin:reporting_report_changelist")).content.decode()
    # A draft may be discarded, one at a time.
    draft = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 7, 1),
        by=pmo,
    )
    assert client.post(reverse("admin:reporting_report_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    assert not Report.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "name",
    ["admin:risks_risk_changelist", "admin:assurance_evidence_changelist", "admin:assurance_decision_changelist"],
)
def test_records_of_what_happened_offer_no_deletion(client, superuser, name):
    client.force_login(superuser)
    assert "delete_selected" not in client.get(reverse(name)).content.decode()
