"""The benchmark portfolio generator makes what the sizes promise, money and milestones included, and running it
twice adds nothing."""

from datetime import date

import pytest
from django.urls import reverse

from demo.generate import SIZES, Size, generate
from finance.models import FinanceLine
from finance.selectors import year_position
from finance.years import FinancialYear
from workstreams.models import Milestone, Programme

pytestmark = pytest.mark.django_db

TINY = Size(programmes=1, projects=4, months=3, risks=2, dependencies=1, reports=0, workstreams_per_programme=2,
            finance_years=2, milestones_per_project=3)  # fmt: skip


def test_the_generator_adds_monthly_figures_and_milestones_once(client, pmo):
    end = date(2026, 12, 1)
    counts = generate(TINY, prefix="TST", end=end, log=lambda *_: None)
    assert counts["finance lines"] == 4 * 24 and counts["milestones"] == 4 * 3
    assert FinanceLine.objects.count() == 96 and Milestone.objects.count() == 12
    past = FinanceLine.objects.filter(month__lt=end)
    assert (
        not past.filter(actual__isnull=True).exists()
        and not FinanceLine.objects.filter(month__gte=end, forecast__isnull=True).exists()
    )
    programme = Programme.objects.get(code="TST01")
    assert year_position(programme, FinancialYear(2026)).total.budget > 0
    assert generate(TINY, prefix="TST", end=end, log=lambda *_: None) == {}
    assert FinanceLine.objects.count() == 96
    client.force_login(pmo)
    assert client.get(reverse("workstreams:roadmap", args=[programme.pk])).status_code == 200


def test_the_large_size_has_five_years_of_figures_and_ten_milestones_per_project():
    assert (SIZES["large"].finance_years, SIZES["large"].milestones_per_project) == (5, 10)
