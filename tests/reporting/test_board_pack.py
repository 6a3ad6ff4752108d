"""A board pack: the published paper and the chosen appendices as one PDF, with a contents page and page
numbers running through the whole pack."""

import re
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from reporting.models import Report
from tests.builders import draft_paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pdf_tools")]


@pytest.fixture
def june_paper():
    call_command("load_demo")
    return Report.objects.get(board__name="Audit Committee", meeting_date=date(2022, 6, 1), status="published")


def pages_of(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_a_viewer_makes_a_pack_of_the_paper_and_two_appendices_with_contents_and_running_page_numbers(
    client, june_paper, viewer, tmp_path
):
    client.force_login(viewer)
    url = reverse("reporting:report_pack", args=[june_paper.pk])
    form = client.get(url)
    assert form.status_code == 200 and "Risk register extract" in form.content.decode()
    response = client.get(url, {"make": "1", "appendix": ["risks", "changes"]})
    assert response["Content-Type"] == "application/pdf"
    pages = pages_of(response.content, tmp_path)
    total = len(pages)
    assert all(f"Page {n} of {total}" in page for n, page in enumerate(pages, start=1))
    assert all("OFFICIAL" in page for page in pages)
    contents = pages[0]
    listed = re.findall(r"(Cleveland Police Change Programme|Appendix A\. Risk register extract|Appendix B\. What changed)"
                        r"[ .]*(\d+)", contents)  # fmt: skip
    assert [name for name, _ in listed][:3] == [
        "Cleveland Police Change Programme",
        "Appendix A. Risk register extract",
        "Appendix B. What changed",
    ]
    for name, page in listed[:3]:
        heading = name if not name.startswith("Appendix") else name
        assert heading.split(". ")[-1] in pages[int(page) - 1]
    assert "Workstream updates" not in contents
    paper_text = " ".join(pages)
    assert "1.1 The purpose of the report is to update members" in paper_text and "A.1" in paper_text
    assert "Published on" in paper_text


def test_a_pack_with_an_unknown_appendix_is_refused_with_the_form(client, june_paper, viewer):
    client.force_login(viewer)
    response = client.get(reverse("reporting:report_pack", args=[june_paper.pk]), {"make": "1", "appendix": "gossip"})
    assert response.status_code == 400 and "gossip" in response.content.decode()


def test_a_draft_has_no_pack(client, pmo, portfolio):
    report = draft_paper(portfolio["programme"], pmo)
    client.force_login(pmo)
    response = client.get(reverse("reporting:report_pack", args=[report.pk]))
    assert response.status_code == 400 and "publish this draft first" in response.content.decode()
