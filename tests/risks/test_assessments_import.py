"""Importing prioritisation assessments from Excel (a column per category of the current scheme), and the
assessments export that round-trips."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risks import selectors
from risks.importer import AssessmentsImport
from risks.models import PriorityAssessment, RiskScheme
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    return filled(AssessmentsImport, Assessments=rows)


def impacts(value):
    scheme = RiskScheme.objects.get(is_current=True)
    return {f"Impact: {c.name}": value for c in scheme.categories.all()}


def run(content, by):
    return run_import(AssessmentsImport, SimpleUploadedFile("assessments.xlsx", content), by=by)


def test_assessments_arrive_and_rank_the_projects(client, pmo, viewer, portfolio):
    code = portfolio["programme"].code
    content = workbook(
        [
            {"Programme code": code, "Project": "Project A", "Assessed on": date(2025, 5, 1), "Likelihood": 5,
             "Confidence": "High", "Mandatory": "Yes", **impacts(4)},
            {"Programme code": code, "Project": "Project B", "Assessed on": date(2025, 5, 1), "Likelihood": 2,
             **impacts(1)},
        ]
    )  # fmt: skip
    result = run(content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Imported 2 assessments."
    a = PriorityAssessment.objects.get(project=portfolio["project_a"])
    assert (a.likelihood, a.confidence, a.mandatory, a.assessed_by) == (5, "high", True, pmo)
    ranked, unassessed = selectors.ranking(portfolio["programme"])
    assert [r.project.name for r in ranked][:2] == ["Project A", "Project B"] and not unassessed
    client.force_login(viewer)
    exported = client.get(reverse("risks:ranking", args=[portfolio["programme"].pk]), {"export": "xlsx"})
    again = run(exported.content, pmo)
    assert again.ok and again.counts == {"assessments": 0, "assessments already held": 2}


def test_bad_scores_are_placed_and_nothing_is_saved(pmo, portfolio):
    code = portfolio["programme"].code
    first_category = next(iter(impacts(0)))
    content = workbook(
        [
            {"Programme code": code, "Project": "Project A", "Assessed on": date(2025, 5, 1), "Likelihood": 7,
             **impacts(2), first_category: 9},
            {"Programme code": code, "Project": "Project B", "Assessed on": "May", "Likelihood": 2,
             "Mandatory": "Perhaps", **impacts(1)},
        ]
    )  # fmt: skip
    problems = {(p.row, p.column.split(" ", 1)[-1].strip("()")) for p in run(content, pmo).problems}
    assert {(2, "Likelihood"), (2, first_category), (3, "Assessed on"), (3, "Mandatory")} <= problems
    assert not PriorityAssessment.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_office_imports_assessments(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("risks:assessments_import")).status_code == status
