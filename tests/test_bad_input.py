"""Bad input answers a clear page, never a server error; refused pages carry the site's navigation and the
reason. (The fuzz test, tests/test_fuzz.py, sends random values everywhere; these are the cases found by hand.)"""

from datetime import date

import pytest
from django.urls import reverse

from reporting import services as report_services
from reporting.models import Board, Report
from tests.builders import publish

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("typed", ["abc", "99999", "x" * 300])
def test_a_register_the_heat_map_cannot_find_is_a_clear_400_beside_the_field(client, viewer, typed):
    client.force_login(viewer)
    response = client.get(reverse("risks:heatmap"), {"register": typed})
    assert response.status_code == 400
    body = page_text(response)
    assert f"No register called “{typed[:100]}” can be chosen here." in body
    assert 'aria-invalid="true"' in body and 'aria-label="Main"' in body  # beside the field, in the site's frame
    assert "Likelihood 5, impact 5" in body  # the heat map of every register is still drawn


@pytest.mark.parametrize("params", [{"until": "0001-01-01"}, {"since": "0001-01-01"}, {"until": "9999-12-31"}])
def test_dates_out_of_any_programmes_range_are_refused_next_to_the_field(client, viewer, portfolio, params):
    client.force_login(viewer)
    response = client.get(reverse("workstreams:changes", args=[portfolio["programme"].pk]), params)
    assert response.status_code == 400
    assert "Choose a date between 1 Jan 1900 and 31 Dec 2999." in page_text(response)


@pytest.mark.parametrize("name", ["workstreams:board", "workstreams:programme", "reporting:dashboard"])
def test_an_as_at_date_out_of_range_shows_today_with_the_reason(client, viewer, portfolio, name):
    client.force_login(viewer)
    response = client.get(reverse(name, args=[portfolio["programme"].pk]), {"as_at": "0001-01-01"})
    assert response.status_code == 400
    assert "Choose a date between 1 Jan 1900 and 31 Dec 2999." in page_text(response)


def test_superseding_a_draft_or_twice_says_why_and_changes_nothing(client, pmo, portfolio):
    draft = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    client.force_login(pmo)
    response = client.post(reverse("reporting:report_supersede", args=[draft.pk]), follow=True)
    assert "Only a published report can be superseded." in page_text(response)
    assert Report.objects.count() == 1
    publish(draft, pmo)
    assert client.post(reverse("reporting:report_supersede", args=[draft.pk])).status_code == 302
    again = client.post(reverse("reporting:report_supersede", args=[draft.pk]), follow=True)
    assert "A draft to supersede this report already exists." in page_text(again)
    assert Report.objects.count() == 2


def test_a_refused_page_is_styled_with_the_navigation_and_the_reason(client, lead_b, portfolio):
    client.force_login(lead_b)
    response = client.get(reverse("workstreams:project_edit", args=[portfolio["project_a"].pk]))
    assert response.status_code == 403
    body = page_text(response)
    assert "You cannot do that here" in body and "You cannot edit Project A." in body
    assert 'aria-label="Main"' in body


def test_a_missing_page_is_styled_with_the_navigation(client, viewer):
    client.force_login(viewer)
    response = client.get("/programmes/999999/")
    assert response.status_code == 404
    assert "Not found" in page_text(response) and 'aria-label="Main"' in page_text(response)


def test_an_unhandled_service_refusal_is_a_400_with_its_reason_not_a_500(rf, pmo):
    from django.core.exceptions import ValidationError

    from changeprog.middleware import ServiceRefusalMiddleware

    request = rf.get("/")
    request.user = pmo
    middleware = ServiceRefusalMiddleware(lambda r: None)
    response = middleware.process_exception(request, ValidationError("That cannot be done now."))
    assert response.status_code == 400 and "That cannot be done now." in response.content.decode()


def test_the_server_error_page_is_the_sites_own(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html and "Nothing you entered was saved." in html


def test_a_nul_character_anywhere_in_a_request_is_a_clear_400(client, viewer):
    client.force_login(viewer)
    for url in (
        reverse("assurance:drivers"),
        reverse("workstreams:project_list"),
        reverse("workstreams:programme_list"),
    ):
        response = client.get(url, {"q": "a\x00b"})
        assert response.status_code == 400, url
        assert "a character that is not allowed" in response.content.decode()


@pytest.mark.parametrize("action", ["close", "deprioritise", "replan"])
def test_an_effective_date_out_of_range_on_a_lifecycle_action_is_refused_next_to_the_field(
    client, pmo, portfolio, action
):
    project = portfolio["project_a"]
    client.force_login(pmo)
    body = {
        "reason": "Backdated",
        "effective_date": "0001-01-01",
        "closed_on": "2022-06-30",
        "closure_note": "Done",
        "forecast_end_date": "2023-12-31",
    }
    before = project.history.count()
    response = client.post(reverse("workstreams:project_action", args=[project.pk, action]), body)
    assert response.status_code == 400
    assert "Choose a date between 1 Jan 1900 and 31 Dec 2999." in page_text(response)
    assert project.history.count() == before
