"""Every Excel file ChangeProg writes keeps text as text: a name that looks like a formula (OWASP's "CSV
injection": text starting with =, +, -, @, a tab or a carriage return) is never written as one."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from changeprog.governance import save_governed
from risks import services as risk_services
from risks.models import RiskScheme
from tests.factories import make_project, make_workstream
from workstreams.importer import template_workbook
from workstreams.models import StatusLevel

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("https://evil.example","Click")', "+SUM(1,2)", "-2+3", "@cmd", "\tTab", "\rReturn"]


def cells_with(content: bytes, texts):
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in texts:
                    found[cell.value] = cell
    return found


def assert_all_text(content: bytes, texts):
    found = cells_with(content, texts)
    assert set(found) == set(texts), f"missing: {set(texts) - set(found)}"
    for text, cell in found.items():
        assert cell.data_type == "s", f"{text!r} was written as {cell.data_type}"
        assert cell.quotePrefix, f"{text!r} lacks the quote prefix"


@pytest.fixture
def hostile(pmo, portfolio):
    workstreams = [make_workstream(portfolio["programme"], by=pmo, name=name) for name in HOSTILE]
    for ws, name in zip(workstreams, HOSTILE, strict=True):
        make_project(ws, by=pmo, name=name)
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    for name in HOSTILE:
        risk_services.risk_raise(
            register=register,
            title=name,
            category=category,
            scores=risk_services.Scores((5, 5), (5, 5), (1, 1)),
            by=pmo,
        )
    return portfolio


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("workstreams:project_list", {}),
        ("workstreams:workstream_list", {}),
        ("risks:register_list", {}),
        ("risks:outside_appetite", {}),
    ],
)
def test_every_list_export_writes_formula_like_text_as_text(client, viewer, hostile, url_name, params):
    client.force_login(viewer)
    response = client.get(reverse(url_name), {**params, "export": "xlsx"})
    assert response.status_code == 200
    assert_all_text(response.content, HOSTILE)


def test_the_import_template_writes_formula_like_level_labels_as_text(pmo):
    rag = StatusLevel.objects.get(scale__code="rag", code="AMBER").scale
    save_governed(
        StatusLevel(scale=rag, code="F", label="=1+1", colour="#000000", severity=50), by=pmo, reason="A hostile label"
    )
    assert_all_text(template_workbook(), ["=1+1"])
