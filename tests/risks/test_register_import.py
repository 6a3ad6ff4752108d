"""Importing the risk register the office keeps in Excel: risks with their scores and own fields, and their
actions; checked whole, every problem placed, nothing saved unless all is valid, nothing doubled."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from changeprog.governance import save_governed
from changeprog.models import CustomField
from risks import services
from risks.importer import RiskRegisterImport
from risks.models import ActionStatus, Risk, RiskAction
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db

RAISED = date(2025, 4, 1)


@pytest.fixture
def register(portfolio, pmo):
    return services.programme_register(portfolio["programme"], by=pmo)


def workbook(risks=(), actions=()) -> bytes:
    """The template with `risks` and `actions` as {header: value} rows."""
    return filled(RiskRegisterImport, Risks=risks, Actions=actions)


def risk_row(register, title, **extra):
    row = {
        "Register": register.code,
        "Title": title,
        "Category": "financial",
        "Inherent likelihood": 4,
        "Inherent impact": 4,
        "Current likelihood": 3,
        "Current impact": 4,
        "Target likelihood": 1,
        "Target impact": 2,
        "Raised on": RAISED,
    }
    row.update(extra)
    return row


def run(content, by, dry_run=False, name="register.xlsx"):
    return run_import(RiskRegisterImport, SimpleUploadedFile(name, content), by=by, dry_run=dry_run)


def test_risks_and_actions_arrive_scored_with_their_history(pmo, lead_a, portfolio, register):
    save_governed(
        CustomField(record="risk", code="third-party", label="Third-party score", type="decimal"), by=pmo, reason="x"
    )
    content = workbook(
        risks=[
            risk_row(register, "Supplier fails", Owner=lead_a.get_username(), Project="Project A",
                     **{"Third-party score": 7.5, "Response": "Transfer", "Proximity": "Within 3 months"}),
            risk_row(register, "Staff leave", Workstream="Workstream B"),
        ],
        actions=[
            {"Register": register.code, "Risk": "Supplier fails", "Description": "Second supplier", "Due date": date(2025, 6, 1)},
            {"Register": register.code, "Risk": "Supplier fails", "Description": "Escrow", "Due date": "30/06/2025",
             "Status": "Done", "Completed on": date(2025, 6, 20)},
        ],
    )  # fmt: skip
    result = run(content, pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Imported 2 risks, 2 actions."
    supplier = Risk.objects.get(title="Supplier fails")
    assert (supplier.current_score, supplier.owner, supplier.project) == (12, lead_a, portfolio["project_a"])
    assert (supplier.response, supplier.proximity, supplier.raised_on) == ("transfer", "3m", RAISED)
    assert supplier.custom == {"third-party": "7.5"}
    assert supplier.history.get().history_change_reason == "Imported from register.xlsx"
    escrow = RiskAction.objects.get(description="Escrow")
    assert (escrow.status, escrow.completed_on) == (ActionStatus.DONE, date(2025, 6, 20))
    assert Risk.objects.get(title="Staff leave").workstream == portfolio["ws_b"]


def test_the_same_file_twice_doubles_nothing(pmo, portfolio, register):
    content = workbook(
        risks=[risk_row(register, "Supplier fails")],
        actions=[
            {"Register": register.code, "Risk": "Supplier fails", "Description": "Act", "Due date": date(2025, 5, 1)}
        ],
    )
    assert run(content, pmo).ok
    again = run(content, pmo)
    assert again.ok and again.summary() == "Imported 0 risks, 1 risks already held, 0 actions, 1 actions already held."
    assert Risk.objects.count() == 1 and RiskAction.objects.count() == 1


def test_actions_can_be_added_to_risks_already_held_by_reference(pmo, portfolio, register):
    assert run(workbook(risks=[risk_row(register, "Supplier fails")]), pmo).ok
    risk = Risk.objects.get()
    content = workbook(
        actions=[
            {"Register": register.code, "Risk": risk.reference, "Description": "Later", "Due date": date(2025, 9, 1)}
        ]
    )
    assert run(content, pmo).ok
    assert risk.actions.get().description == "Later"


def test_every_problem_is_placed_and_nothing_is_saved(pmo, portfolio, register):
    content = workbook(
        risks=[
            risk_row(register, "Bad scores", **{"Current likelihood": 9, "Target impact": "two"}),
            risk_row(register, "Bad words", Category="Vibes", Owner="nobody", Response="Ignore", Project="No such"),
            risk_row(register, "Twice"),
            risk_row(register, "Twice"),
            risk_row(register, "Future", **{"Raised on": timezone.localdate() + timedelta(days=3)}),
            {**risk_row(register, "Wrong register"), "Register": "NOPE"},
        ],
        actions=[
            {"Register": register.code, "Risk": "Unknown", "Description": "x", "Due date": date(2025, 5, 1)},
            {"Register": register.code, "Risk": "Twice", "Description": "Early", "Due date": date(2024, 1, 1)},
            {"Register": register.code, "Risk": "Twice", "Description": "No date"},
            {"Register": register.code, "Risk": "Twice", "Description": "Odd", "Due date": date(2025, 7, 1),
             "Completed on": date(2025, 7, 2)},
        ],
    )  # fmt: skip
    result = run(content, pmo)
    problems = {(p.sheet, p.row, p.column.split(" ", 1)[-1].strip("()")): p.message for p in result.problems}
    assert "Must be from 1 to 5; 9 is not." in problems[("Risks", 2, "Current likelihood")]
    assert "not a whole number" in problems[("Risks", 2, "Target impact")]
    assert "Not a category" in problems[("Risks", 3, "Category")]
    assert "no active ChangeProg user" in problems[("Risks", 3, "Owner")]
    assert "Allowed values" in problems[("Risks", 3, "Response")]
    assert "no project called" in problems[("Risks", 3, "Project")]
    assert "appears twice" in problems[("Risks", 5, "Title")]
    assert "future" in problems[("Risks", 6, "Raised on")]
    assert "no register with the code" in problems[("Risks", 7, "Register")]
    assert "has no risk" in problems[("Actions", 2, "Risk")]
    assert "before its risk was raised" in problems[("Actions", 3, "Due date")]
    assert problems[("Actions", 4, "Due date")] == "This is required."
    assert "Only a Done action" in problems[("Actions", 5, "Completed on")]
    assert not Risk.objects.exists() and not RiskAction.objects.exists()


def test_a_dry_run_counts_and_saves_nothing(pmo, portfolio, register):
    result = run(workbook(risks=[risk_row(register, "Supplier fails")]), pmo, dry_run=True)
    assert result.ok and result.summary() == "Would import 1 risks, 0 actions."
    assert not Risk.objects.exists()


def test_not_a_workbook_is_refused_plainly(pmo):
    result = run(b"not a zip at all", pmo)
    assert [p.message for p in result.problems] == ["This is not an Excel workbook (.xlsx). Start from the template."]


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 403), ("viewer", 403), ("no_role", 403)])
def test_only_the_office_imports_the_register(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("risks:import")).status_code == status
    assert client.get(reverse("risks:import"), {"template": "1"}).status_code == status


def test_the_page_checks_then_imports(client, pmo, portfolio, register):
    client.force_login(pmo)
    template = client.get(reverse("risks:import"), {"template": "1"})
    assert template["Content-Disposition"] == 'attachment; filename="changeprog-risk-register-template.xlsx"'
    assert {"Risks", "Actions", "Read me"} <= set(load_workbook(io.BytesIO(template.content)).sheetnames)
    content = workbook(risks=[risk_row(register, "Supplier fails")])
    checked = client.post(
        reverse("risks:import"), {"file": SimpleUploadedFile("r.xlsx", content), "dry_run": "on"}
    ).content.decode()
    assert "Would import 1 risks, 0 actions." in checked and not Risk.objects.exists()
    bad = client.post(reverse("risks:import"), {"file": SimpleUploadedFile("r.xlsx", workbook(risks=[
        risk_row(register, "Bad", **{"Current impact": 12})]))})  # fmt: skip
    assert bad.status_code == 400 and "Must be from 1 to 5; 12 is not." in bad.content.decode()
    done = client.post(reverse("risks:import"), {"file": SimpleUploadedFile("r.xlsx", content)})
    assert "Imported 1 risks, 0 actions." in done.content.decode()
    assert Risk.objects.get().title == "Supplier fails"


def test_the_register_downloaded_for_editing_comes_back_with_only_what_is_new(client, pmo, portfolio, register):
    content = workbook(
        risks=[risk_row(register, "Supplier fails", Project="Project A")],
        actions=[
            {"Register": register.code, "Risk": "Supplier fails", "Description": "Act", "Due date": date(2025, 5, 1)}
        ],
    )
    assert run(content, pmo).ok
    client.force_login(pmo)
    exported = client.get(reverse("risks:register_list"), {"export": "register"})
    book = load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["Risks", "Actions"]
    risk = Risk.objects.get()
    book["Actions"].append([register.code, risk.reference, "A new action", "", date(2025, 8, 1), "Open", None])
    out = io.BytesIO()
    book.save(out)
    result = run(out.getvalue(), pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts == {"risks": 0, "risks already held": 1, "actions": 1, "actions already held": 1}
    assert sorted(risk.actions.values_list("description", flat=True)) == ["A new action", "Act"]
