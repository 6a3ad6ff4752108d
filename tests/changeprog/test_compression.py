"""Pages go out compressed to a browser that accepts it; files already compressed (PDF, Word, Excel) go out as
they are; and each compressed page carries a freshly masked CSRF token and random padding (BREACH)."""

import gzip
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_board_is_sent_compressed_and_reads_the_same(client, portfolio, pmo):
    client.force_login(pmo)
    url = reverse("workstreams:board", args=[portfolio["programme"].pk])
    plain = client.get(url)
    packed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert portfolio["ws_a"].name in html and len(packed.content) < len(plain.content) / 3


def test_files_already_compressed_are_sent_as_they_are(client, portfolio, pmo):
    client.force_login(pmo)
    export = client.get(reverse("workstreams:project_list") + "?export=xlsx", headers={"accept-encoding": "gzip"})
    assert export.status_code == 200 and "Content-Encoding" not in export
    assert export.content[:2] == b"PK"  # the workbook itself, a zip


def test_each_compressed_page_masks_its_csrf_token_afresh(client, portfolio, pmo):
    client.force_login(pmo)
    url = reverse("workstreams:project_milestone_create", args=[portfolio["project_a"].pk])
    tokens = set()
    for _ in range(3):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        html = gzip.decompress(response.content).decode()
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(tokens) == 3  # the same secret, masked differently each time


def test_the_page_that_shows_an_api_token_is_never_compressed(client, pmo):
    client.force_login(pmo)
    client.post(reverse("api:token"), {"action": "create"})
    page = client.get(reverse("api:token"), headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in page and pmo.auth_token.key in page.content.decode()
