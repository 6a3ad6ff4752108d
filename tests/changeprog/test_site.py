"""Site-wide behaviour: health check, status colours and the protective marking."""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in_when_the_database_answers(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (503, b"database unavailable\n")


def test_every_page_carries_the_protective_marking(client, viewer, settings):
    settings.PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    client.force_login(viewer)
    assert 'aria-label="Protective marking">OFFICIAL-SENSITIVE</div>' in client.get(reverse("home")).content.decode()
