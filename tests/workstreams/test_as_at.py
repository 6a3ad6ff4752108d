"""Pages "as at" a past date show the portfolio as it stood then, structure included."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from demo.portfolio import load_demo
from workstreams.models import Project, Workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return load_demo(password="x" * 16)[0]


def test_the_programme_page_as_at_the_april_board_shows_the_original_programme(client, viewer, demo):
    client.force_login(viewer)
    html = client.get(demo.get_absolute_url(), {"as_at": "2022-04-14"}).content.decode()
    assert "Showing this as it stood at the end of 14 Apr 2022" in html
    assert "Vulnerability (Prevention/Engagement &amp; Missing)" in html
    assert "Public Contact &amp; Engagement" not in html
    assert "As at 1 Jun 2022" not in html  # later updates are not shown
    assert f"/workstreams/{Workstream.objects.get(name='Force Control Room').pk}/?as_at=2022-04-14" in html


def test_a_project_page_as_at_a_date_shows_where_the_project_sat(client, viewer, demo):
    solh = Project.objects.get(name__startswith="SOLH")
    client.force_login(viewer)
    before = client.get(solh.get_absolute_url(), {"as_at": "2022-04-14"}).content.decode()
    after = client.get(solh.get_absolute_url()).content.decode()
    assert "Project in Vulnerability (Prevention/Engagement &amp; Missing)" in before
    assert "Project in Public Contact &amp; Engagement" in after


def test_an_item_that_did_not_yet_exist_is_not_found_as_at_that_date(client, viewer, demo):
    client.force_login(viewer)
    pce = Workstream.objects.get(name="Public Contact & Engagement")
    assert client.get(pce.get_absolute_url(), {"as_at": "2022-04-14"}).status_code == 404


def test_a_future_as_at_date_is_refused_with_a_message_and_today_is_shown(client, viewer, demo):
    client.force_login(viewer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = client.get(demo.get_absolute_url(), {"as_at": tomorrow.isoformat()}).content.decode()
    assert "Choose today or a day in the past." in html
    assert "Public Contact &amp; Engagement" in html


def test_editing_is_off_when_looking_at_the_past(client, pmo, demo):
    client.force_login(pmo)
    fcr = Workstream.objects.get(name="Force Control Room")
    assert "Record update" in client.get(fcr.get_absolute_url()).content.decode()
    assert "Record update" not in client.get(fcr.get_absolute_url(), {"as_at": date(2022, 4, 14)}).content.decode()


def test_item_pages_show_a_trend_of_the_last_updates(client, viewer, demo):
    client.force_login(viewer)
    rm = Workstream.objects.get(name="Resource Management")
    html = client.get(rm.get_absolute_url()).content.decode()
    assert "Trend: Overall over the last 2 updates" in html
    assert '<span class="visually-hidden">14 Apr 2022: </span>Red' in html
    assert '<span class="visually-hidden">1 Jun 2022: </span>Red' in html
