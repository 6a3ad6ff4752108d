"""Importing dependencies from Excel, and the dependencies export that round-trips."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from risks.importer import DependenciesImport
from risks.models import Dependency, DependencyStatus
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    return filled(DependenciesImport, Dependencies=rows)


def run(content, by, dry_run=False):
    return run_import(DependenciesImport, SimpleUploadedFile("deps.xlsx", content), by=by, dry_run=dry_run)


def test_dependencies_on_projects_and_outside_arrive_and_round_trip(client, pmo, lead_a, viewer, portfolio):
    code = portfolio["programme"].code
    content = workbook(
        [
            {"Programme code": code, "Project": "Project A", "Depends on project": "Project B",
             "Kind": "Needs a decision", "Needed by": date(2026, 6, 30), "Owner": lead_a.get_username()},
            {"Programme code": code, "Project": "Project B", "Depends on outside": "National ANPR service",
             "Outside kind": "National programme", "Status": "At risk"},
        ]
    )  # fmt: skip
    result = run(content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Imported 2 dependencies."
    on_b = Dependency.objects.get(to_project=portfolio["project_b"])
    assert (on_b.from_project, on_b.kind, on_b.owner) == (portfolio["project_a"], "decision", lead_a)
    assert Dependency.objects.get(external_name="National ANPR service").status == DependencyStatus.AT_RISK
    client.force_login(viewer)
    exported = client.get(reverse("risks:dependency_map", args=[portfolio["programme"].pk]), {"export": "xlsx"})
    again = run(exported.content, pmo)
    assert again.ok and again.counts == {"dependencies": 0, "dependencies already held": 2}


def test_bad_rows_are_placed_and_nothing_is_saved(pmo, portfolio):
    code = portfolio["programme"].code
    content = workbook(
        [
            {"Programme code": code, "Project": "Project A"},
            {"Programme code": code, "Project": "Project A", "Depends on project": "Project A"},
            {"Programme code": code, "Project": "Project A", "Depends on outside": "Supplier X"},
            {"Programme code": "NOPE", "Project": "Project A", "Depends on project": "Project B"},
            {"Programme code": code, "Project": "Nobody", "Depends on project": "Project B", "Kind": "Vibes",
             "Needed by": "soon"},
        ]
    )  # fmt: skip
    problems = {(p.row, p.column.split(" ", 1)[-1].strip("()")) for p in run(content, pmo).problems}
    assert {
        (2, "Depends on project"),
        (3, "Depends on project"),
        (4, "Outside kind"),
        (5, "Programme code"),
        (6, "Project"),
        (6, "Kind"),
        (6, "Needed by"),
    } <= problems
    assert not Dependency.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_office_imports_dependencies(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("risks:dependencies_import")).status_code == status
