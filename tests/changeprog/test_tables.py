"""Every list's table writes the HTML django-tables2's own Bootstrap template writes, at a fraction of the cost."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import format_html
from django_tables2 import RequestConfig

from changeprog import tables as lean
from changeprog.tables import DayColumn, Table

pytestmark = pytest.mark.django_db  # the site's context (its vocabulary) is read from the database

STOCK = "django_tables2/bootstrap5-responsive.html"


def _same(html: str) -> str:
    """The page as a reader gets it: whitespace between tags and the form's one-off token do not count."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


class Mixed(Table):
    """Cells of every kind a list has: a link, a render method that reads the row, numbers and days localised,
    unlocalised and as they come, a moment, a callable cell attribute and an escaped value."""

    name = tables.Column(linkify=lambda record: f"/things/{record['id']}/")
    note = tables.Column(attrs={"td": {"class": lambda record: "late" if record["late"] else "on-time"}})
    amount = tables.Column(localize=False)
    count = tables.Column(localize=True)
    raised = tables.Column(accessor="due", localize=False, orderable=False)
    at = tables.Column()
    due = DayColumn()
    flag = tables.Column(accessor="id", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm", "td": {"data-kind": "cell"}}
        empty_text = "Nothing here."

    def render_flag(self, record, table):
        return format_html("<b>{}</b>", "late" if record["late"] else "fine") if table else ""


ROWS = [
    {"id": 1, "name": "Fleet <replacement>", "note": "A & B", "amount": Decimal("1234.5"), "count": 12000,
     "due": date(2026, 3, 4), "late": True, "at": datetime(2026, 6, 30, 23, 30, tzinfo=UTC)},
    {"id": 2, "name": "Custody", "note": None, "amount": None, "count": 0, "due": None, "late": False, "at": None},
]  # fmt: skip


def _render(table, template, request):
    from django.template import engines

    page = engines["django"].from_string("{% load django_tables2 %}{% render_table table '" + template + "' %}")
    return page.render({"table": table, "request": request})


@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "empty"])
def test_a_table_reads_as_django_tables2s_own_template_writes_it(rows):
    request = RequestFactory().get("/things/", {"sort": "-count"})

    def table():  # a table counts the rows it writes, so each rendering has its own
        configured = Mixed(rows)
        RequestConfig(request, paginate={"per_page": 1}).configure(configured)
        return configured

    ours, stock = _render(table(), "tables/table.html", request), _render(table(), STOCK, request)
    assert _same(ours) == _same(stock)
    if rows:
        assert "Fleet &lt;replacement&gt;" in ours  # escaped once, as {{ cell }} escapes it
        assert 'class="late"' in ours  # a cell attribute worked out from its row
        assert "4 Mar 2026" in ours and "<b>late</b>" in ours
    else:
        assert "Nothing here." in ours


def test_the_portfolio_and_risk_lists_read_as_with_django_tables2s_template(client, portfolio, pmo, settings):
    from risks import services
    from risks.models import RiskScheme
    from risks.services import Scores

    services.risk_raise(
        register=services.programme_register(portfolio["programme"], by=pmo),
        title="IT <capacity>",
        category=RiskScheme.objects.get(is_current=True).categories.get(code="financial"),
        scores=Scores((5, 4), (4, 3), (2, 2)),
        by=pmo,
        raised_on=date(2025, 4, 1),
    )
    client.force_login(pmo)
    pages = {
        reverse("workstreams:project_list"): "Project A",
        reverse("workstreams:workstream_list"): "Workstream B",
        reverse("risks:register_list"): "IT &lt;capacity&gt;",
    }
    for url, shown in pages.items():
        ours = client.get(url).content.decode()
        settings.DJANGO_TABLES2_TEMPLATE = STOCK
        stock = client.get(url).content.decode()
        settings.DJANGO_TABLES2_TEMPLATE = "tables/table.html"
        assert shown in ours
        assert _same(ours) == _same(stock)


def test_a_render_methods_parameters_are_read_once(monkeypatch):
    reads = []
    real = lean.signature
    monkeypatch.setattr(lean, "signature", lambda function: reads.append(function) or real(function))
    monkeypatch.setattr(lean, "_PARAMETERS", {})
    table = Mixed(ROWS * 20)
    list(table.body())
    assert len(reads) == len({type(column.column).render for column in table.columns} | {Mixed.render_flag})
