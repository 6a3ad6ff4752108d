"""Importing drivers and the work that answers them from Excel, and the drivers export that round-trips."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assurance.importer import DriversImport
from assurance.models import Driver, DriverLink
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db


def workbook(drivers=(), links=()) -> bytes:
    return filled(DriversImport, Drivers=drivers, Links=links)


def run(content, by):
    return run_import(DriversImport, SimpleUploadedFile("drivers.xlsx", content), by=by)


PEEL = "HMICFRS PEEL 2021/22"


def test_drivers_and_their_links_arrive_and_round_trip(client, pmo, viewer, portfolio):
    code = portfolio["programme"].code
    content = workbook(
        drivers=[
            {"Kind": "Area for improvement", "Title": "Answer 101 calls faster", "Source": PEEL, "Reference": "AFI 3",
             "Issued on": date(2022, 3, 1)},
            {"Kind": "Police and Crime Plan priority", "Title": "Safer streets", "Source": "Police and Crime Plan"},
        ],
        links=[
            {"Source": PEEL, "Driver": "AFI 3", "Programme code": code, "Workstream": "Workstream A"},
            {"Source": "Police and Crime Plan", "Driver": "Safer streets", "Programme code": code,
             "Project": "Project B", "Note": "Neighbourhood teams"},
        ],
    )  # fmt: skip
    result = run(content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Imported 2 drivers, 2 links."
    afi = Driver.objects.get(reference="AFI 3")
    assert (afi.kind, afi.issued_on) == ("afi", date(2022, 3, 1))
    assert DriverLink.objects.get(driver__title="Safer streets").project == portfolio["project_b"]
    client.force_login(viewer)
    exported = client.get(reverse("assurance:drivers"), {"export": "xlsx"})
    assert set(load_workbook(io.BytesIO(exported.content)).sheetnames) == {"Drivers", "Links"}
    again = run(exported.content, pmo)
    assert again.ok and again.counts == {"drivers": 0, "drivers already held": 2, "links": 0, "links already held": 2}


def test_bad_rows_are_placed_and_nothing_is_saved(pmo, portfolio):
    code = portfolio["programme"].code
    content = workbook(
        drivers=[{"Kind": "Rumour", "Title": "Something", "Source": PEEL}],
        links=[
            {"Source": PEEL, "Driver": "AFI 99", "Programme code": code, "Workstream": "Workstream A"},
            {"Source": PEEL, "Driver": "Something", "Programme code": code},
        ],
    )
    problems = {(p.sheet, p.row, p.column.split(" ", 1)[-1].strip("()")) for p in run(content, pmo).problems}
    assert {("Drivers", 2, "Kind"), ("Links", 2, "Driver"), ("Links", 3, "Workstream")} <= problems
    assert not Driver.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_office_imports_drivers(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assurance:drivers_import")).status_code == status
