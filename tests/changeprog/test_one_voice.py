"""The site speaks with one voice: full breadcrumbs, the context on review forms, one date format in text."""

import re
from datetime import date

import pytest
from django.urls import reverse

from risks import services as risk_services
from risks.models import RiskScheme

pytestmark = pytest.mark.django_db


def crumbs(html: str) -> list[str]:
    nav = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", nav, re.S)]


def test_a_projects_record_form_shows_every_level_above_it(client, pmo, portfolio):
    client.force_login(pmo)
    html = client.get(reverse("workstreams:project_record_update", args=[portfolio["project_a"].pk])).content.decode()
    assert crumbs(html) == ["Programmes", portfolio["programme"].code, "Workstream A", "Project A", "Record update"]


def test_an_action_on_a_project_shows_every_level_above_it(client, pmo, portfolio):
    client.force_login(pmo)
    html = client.get(reverse("workstreams:project_action", args=[portfolio["project_a"].pk, "replan"])).content
    assert crumbs(html.decode())[:4] == ["Programmes", portfolio["programme"].code, "Workstream A", "Project A"]


def test_the_risk_review_form_shows_the_risk_its_score_and_its_appetite(client, pmo, portfolio):
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    risk = risk_services.risk_raise(
        register=register, title="Funding gap", category=category, scores=risk_services.Scores((4, 4), (4, 4), (1, 2)),
        by=pmo,
    )  # fmt: skip
    client.force_login(pmo)
    html = client.get(reverse("risks:risk_review", args=[risk.pk])).content.decode()
    assert f"{risk.reference} Funding gap" in html
    assert "4 × 4 = 16" in html and "(outside appetite)" in html
    assert f"appetite {category.get_appetite_display().lower()}, tolerance {category.tolerance}" in html


def test_pages_write_dates_one_way(client, pmo, portfolio):
    client.force_login(pmo)
    for url in (portfolio["ws_a"].get_absolute_url(), reverse("home"), portfolio["programme"].get_absolute_url()):
        text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text), url  # no 30/11/2026 in text


def test_a_note_on_a_picture_is_written_beside_the_picture(client, pmo, portfolio):
    from reporting.models import ReportSection
    from tests.builders import draft_paper

    paper = draft_paper(portfolio["programme"], pmo, board="Audit Committee", comparison=date(2022, 4, 1))
    notes = ReportSection.objects.get(report=paper, heading__endswith="notes on the picture")
    client.force_login(pmo)
    html = client.get(reverse("reporting:section_edit", args=[notes.pk])).content.decode()
    assert "The pictures this note goes with" in html
    assert html.count('<figure class="report-figure">') == 2 and "<svg" in html
    purpose = ReportSection.objects.filter(report=paper, kind="narrative").first()
    assert (
        "this note goes with" not in client.get(reverse("reporting:section_edit", args=[purpose.pk])).content.decode()
    )


@pytest.mark.parametrize("persona", ["pmo", "viewer", None])
def test_the_accessibility_statement_is_open_to_all_and_names_the_contact(client, request, settings, persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.ACCESSIBILITY_CONTACT = "the Change Team (change@force.example)"
    if persona:
        client.force_login(request.getfixturevalue(persona))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("accessibility")).content.decode()
    assert "WCAG" in html and "the Change Team (change@force.example)" in html
    assert len(ctx.captured_queries) <= 5  # the session, the user and their permissions (the navigation), the words
