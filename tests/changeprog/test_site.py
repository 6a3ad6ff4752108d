"""Site-wide behaviour: health check, status colours and the protective marking."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("host", ["10.0.0.12:8000", "unknown.example", "evil..example"])
def test_healthz_answers_a_load_balancer_whatever_host_it_sends(client, host):
    response = client.get("/healthz", headers={"host": host})
    assert (response.status_code, response.content) == (200, b"ok\n")
    # Any other page still refuses a host it does not serve.
    assert client.get(reverse("login"), headers={"host": host}).status_code == 400


def test_healthz_answers_503_when_the_database_does_not():
    """A real failure: the app started against a PostgreSQL address where nothing listens."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code, r.content.decode().strip())"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "changeprog.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/nowhere?connect_timeout=2",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "503 database unavailable", result.stderr[-2000:]


def test_every_page_carries_the_protective_marking(client, viewer, settings):
    settings.PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    client.force_login(viewer)
    assert 'aria-label="Protective marking">OFFICIAL-SENSITIVE</div>' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("path", "current"),
    [("/programmes/", "Programmes"), ("/risks/", "Risks"), ("/", "My work"), ("/reports/", "Reports")],
)
def test_the_navigation_marks_the_part_of_the_site_a_page_belongs_to(client, viewer, path, current):
    import re

    client.force_login(viewer)
    html = client.get(path).content.decode()
    marked = re.findall(r'<a class="nav-link active" href="[^"]*" aria-current="page">([^<]+)</a>', html)
    assert marked == [current]


def test_a_level_that_needs_a_reason_says_so_with_the_right_article(db, portfolio, rag):
    from django.core.exceptions import ValidationError

    from workstreams.models import StatusRating, StatusUpdate

    update = StatusUpdate(workstream=portfolio["ws_a"], as_of=timezone.localdate())
    rating = StatusRating(
        update=update, dimension=portfolio["programme"].dimensions.get(code="overall"), level=rag["AMBER"]
    )
    with pytest.raises(ValidationError) as refused:
        rating.clean()
    assert "An Amber rating needs a reason." in str(refused.value)


def test_people_filters_choose_only_those_holding_the_role_with_a_picker(client, viewer, pmo, lead_a, portfolio):
    """The lists' person filters list no one: they are pickers, and they accept only people who hold the role."""
    from tests.factories import UserFactory

    UserFactory(username="bystander", first_name="Bea", last_name="Bystander")
    client.force_login(viewer)
    page = client.get(reverse("workstreams:workstream_list"))
    assert "Bea Bystander" not in page.content.decode() and lead_a.get_full_name() not in str(
        page.context["filter"].form["lead"]
    )
    lead = f"{lead_a.get_full_name()} ({lead_a.get_username()})"
    chosen = client.get(reverse("workstreams:workstream_list"), {"lead": lead})
    assert chosen.status_code == 200
    assert {w.lead for w in chosen.context["table"].data} == {lead_a}
    refused = client.get(reverse("workstreams:workstream_list"), {"lead": "Bea Bystander"})
    assert "No one called “Bea Bystander” can be chosen here" in refused.content.decode()
