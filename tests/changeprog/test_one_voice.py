"""The site speaks with one voice: full breadcrumbs, the context on review forms, one date format in text."""

import re

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
