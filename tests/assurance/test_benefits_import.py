"""Importing the benefits register and its measurements from Excel, and the benefits export that round-trips."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assurance.importer import BenefitsImport
from assurance.models import Benefit, BenefitMeasurement
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db


def workbook(benefits=(), measurements=()) -> bytes:
    return filled(BenefitsImport, Benefits=benefits, Measurements=measurements)


def benefit_row(programme, title, **extra):
    row = {
        "Programme code": programme.code,
        "Workstream": "Workstream A",
        "Title": title,
        "Kind": "Cashable saving",
        "Unit": "£",
        "Owner": "Chief Finance Officer",
        "Baseline": 0,
        "Baseline on": date(2024, 4, 1),
        "Target": 250000,
        "Target on": date(2026, 3, 31),
    }
    row.update(extra)
    return row


def run(content, by, dry_run=False):
    return run_import(BenefitsImport, SimpleUploadedFile("benefits.xlsx", content), by=by, dry_run=dry_run)


def test_benefits_and_measurements_arrive_on_their_work(pmo, portfolio):
    programme = portfolio["programme"]
    content = workbook(
        benefits=[
            benefit_row(programme, "Estate savings"),
            benefit_row(programme, "Hours released", Kind="Officer or staff hours released", Unit="hours",
                        Project="Project B", Workstream="", Target=12000),
        ],
        measurements=[
            {"Programme code": programme.code, "Benefit": "Estate savings", "Measured on": date(2025, 3, 31),
             "Value": 120000.5, "Note": "Year one"},
        ],
    )  # fmt: skip
    result = run(content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Imported 2 benefits, 1 measurements."
    estate = Benefit.objects.get(title="Estate savings")
    assert (estate.workstream, estate.target) == (portfolio["ws_a"], Decimal("250000"))
    assert Benefit.objects.get(title="Hours released").project == portfolio["project_b"]
    measurement = BenefitMeasurement.objects.get()
    assert (measurement.value, measurement.recorded_by) == (Decimal("120000.50"), pmo)
    assert estate.history.get().history_change_reason == "Imported from benefits.xlsx"
    again = run(content, pmo)
    assert again.ok and Benefit.objects.count() == 2 and BenefitMeasurement.objects.count() == 1


def test_bad_money_and_dates_are_refused_by_sheet_row_and_column(pmo, portfolio):
    programme = portfolio["programme"]
    content = workbook(
        benefits=[
            benefit_row(programme, "Words", Baseline="about ten", Kind="Savings-ish"),
            benefit_row(programme, "Backwards", **{"Target on": date(2023, 1, 1)}),
            benefit_row(programme, "Nowhere", Workstream="No such"),
            benefit_row(programme, "Huge", Target=10**13),
        ],
        measurements=[
            {"Programme code": programme.code, "Benefit": "Unknown", "Measured on": date(2025, 1, 1), "Value": 1},
            {"Programme code": "NOPE", "Benefit": "Words", "Measured on": "soon", "Value": "lots"},
        ],
    )
    problems = {(p.sheet, p.row, p.column.split(" ", 1)[-1].strip("()")) for p in run(content, pmo).problems}
    assert {
        ("Benefits", 2, "Baseline"),
        ("Benefits", 2, "Kind"),
        ("Benefits", 3, "Target on"),
        ("Benefits", 4, "Workstream"),
        ("Benefits", 5, "Target"),
        ("Measurements", 2, "Benefit"),
        ("Measurements", 3, "Programme code"),
        ("Measurements", 3, "Measured on"),
        ("Measurements", 3, "Value"),
    } <= problems
    assert not Benefit.objects.exists()


def test_the_export_is_a_file_the_import_takes_back(client, pmo, portfolio, viewer):
    programme = portfolio["programme"]
    content = workbook(
        benefits=[benefit_row(programme, "Estate savings")],
        measurements=[{"Programme code": programme.code, "Benefit": "Estate savings", "Measured on": date(2025, 3, 31),
                       "Value": 1000}],
    )  # fmt: skip
    assert run(content, pmo).ok
    client.force_login(viewer)
    response = client.get(reverse("assurance:benefits", args=[programme.pk]), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Benefits"].iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Programme code"], row["Workstream"], row["Title"], row["Target"]) == (
        programme.code,
        "Workstream A",
        "Estate savings",
        250000,
    )
    measured = list(book["Measurements"].iter_rows(values_only=True))[1]
    assert (measured[0], measured[1], measured[2].date(), measured[3]) == (
        programme.code,
        "Estate savings",
        date(2025, 3, 31),
        1000,
    )
    # Brought back as it is, it is matched, not doubled.
    result = run(response.content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts == {
        "benefits": 0,
        "benefits already held": 1,
        "measurements": 0,
        "measurements already held": 1,
    }
    assert Benefit.objects.count() == 1 and BenefitMeasurement.objects.count() == 1


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_office_imports_benefits(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assurance:benefits_import")).status_code == status
