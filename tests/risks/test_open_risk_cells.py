"""The counts of open risks per heat-map cell that the database keeps (`OpenRiskCell`): whichever way a risk is
written (the services, the importer, a bulk update, a delete, a rolled-back transaction), the heat map reads the
same counts as counting every open risk would give, and reading them never touches the risks table."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from risks import services
from risks.importer import RiskRegisterImport
from risks.models import OpenRiskCell, Register, Risk, RiskScheme, RiskStatus
from risks.selectors import cell_counts, open_cell_counts
from risks.services import Scores
from tests.builders import build_portfolio
from tests.registers import filled
from workstreams.importer.register import run_import

pytestmark = pytest.mark.django_db


def category(code="financial"):
    return RiskScheme.objects.get(is_current=True).categories.get(code=code)


def assert_counts_true():
    """The kept counts equal a count of the open risks, for every score, every register and all registers."""
    registers = [None, *Risk.objects.order_by().values_list("register", flat=True).distinct()]
    for which in OpenRiskCell.SCORES:
        for register in registers:
            counted = Risk.objects.filter(status=RiskStatus.OPEN)
            if register is not None:
                counted = counted.filter(register=register)
            kept = open_cell_counts(which, None if register is None else Register.objects.get(pk=register))
            assert kept == cell_counts(counted, which), (which, register)


@pytest.fixture
def registers(portfolio, pmo):
    return services.programme_register(portfolio["programme"], by=pmo), services.corporate_register()


AMBER = Scores((5, 4), (4, 3), (2, 2))


def raise_risk(register, pmo, title, scores=AMBER):
    return services.risk_raise(
        register=register, title=title, category=category(), scores=scores, by=pmo, raised_on=date(2025, 4, 1)
    )


def test_raising_reviewing_editing_and_closing_risks_keep_the_counts(registers, pmo):
    programme, corporate = registers
    first = raise_risk(programme, pmo, "IT capacity")
    second = raise_risk(programme, pmo, "Vetting backlog")
    raise_risk(corporate, pmo, "Estates", Scores((3, 3), (2, 2), (1, 1)))
    assert open_cell_counts("current") == {(4, 3): 2, (2, 2): 1}
    assert open_cell_counts("current", programme) == {(4, 3): 2}
    services.risk_review(
        risk=first, reviewed_on=date(2025, 6, 1), current_likelihood=2, current_impact=3, by=pmo, reason="Funded"
    )
    services.risk_update(risk=second, changes={"target_likelihood": 1}, by=pmo, reason="Lower target")
    assert open_cell_counts("current", programme) == {(4, 3): 1, (2, 3): 1}
    assert open_cell_counts("target", programme) == {(2, 2): 1, (1, 2): 1}
    services.risk_close(risk=second, closed_reason="Backlog cleared", by=pmo)
    assert open_cell_counts("current", programme) == {(2, 3): 1}
    assert_counts_true()


def test_bulk_writes_deletes_and_a_reopened_risk_keep_the_counts(registers, pmo):
    programme, corporate = registers
    risks = [raise_risk(programme, pmo, f"Risk {n}") for n in range(6)]
    # Writes that skip the services and signals entirely: a queryset update, a move between registers, a delete.
    Risk.objects.filter(pk__in=[r.pk for r in risks[:3]]).update(current_likelihood=1, inherent_impact=5)
    Risk.objects.filter(pk=risks[3].pk).update(register=corporate, number=99)
    Risk.objects.filter(pk=risks[4].pk).update(status=RiskStatus.CLOSED, closed_reason="Gone")
    assert_counts_true()
    Risk.objects.filter(pk=risks[4].pk).update(status=RiskStatus.OPEN)
    Risk.objects.filter(pk__in=[risks[0].pk, risks[5].pk]).delete()
    assert_counts_true()
    assert sum(open_cell_counts("current").values()) == Risk.objects.filter(status=RiskStatus.OPEN).count() == 4


def test_a_write_that_is_rolled_back_leaves_the_counts_as_they_were(registers, pmo):
    programme, _ = registers
    raise_risk(programme, pmo, "IT capacity")
    before = open_cell_counts("current")
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_risk(programme, pmo, "Never saved")
        Risk.objects.update(current_likelihood=1)
        raise RuntimeError
    assert open_cell_counts("current") == before == {(4, 3): 1}


def test_risks_imported_from_another_organisations_register_are_counted(pmo):
    """A different organisation's programme and register arriving through the importer (the importer's own tests
    cover its checks): every imported risk is in the kept counts."""
    programme, _, _ = build_portfolio(projects=6, workstreams=3, by=pmo)
    register = services.programme_register(programme, by=pmo)
    rows = [
        {
            "Register": register.code,
            "Title": f"Imported {n}",
            "Category": "financial",
            "Inherent likelihood": 5,
            "Inherent impact": 1 + n % 5,
            "Current likelihood": 1 + n % 4,
            "Current impact": 3,
            "Target likelihood": 1,
            "Target impact": 1,
            "Raised on": date(2019, 1, 1),
        }
        for n in range(12)
    ]
    content = filled(RiskRegisterImport, Risks=rows, Actions=[])
    result = run_import(RiskRegisterImport, SimpleUploadedFile("theirs.xlsx", content), by=pmo)
    assert result.ok, [str(p) for p in result.problems]
    assert sum(open_cell_counts("current", register).values()) == 12
    assert open_cell_counts("current", register)[(1, 3)] == 3
    assert_counts_true()


def test_the_heat_map_page_reads_the_kept_counts_not_every_risk(client, registers, pmo, viewer):
    programme, corporate = registers
    for n in range(3):
        raise_risk(programme, pmo, f"Risk {n}")
    raise_risk(corporate, pmo, "Estates", Scores((3, 3), (4, 3), (1, 1)))
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("risks:heatmap")).content.decode()
    assert 'aria-label="Likelihood 4, impact 3: 4 risks, Amber"' in html
    assert not [q["sql"] for q in queries.captured_queries if 'FROM "risks_risk"' in q["sql"]]
    only_corporate = client.get(reverse("risks:heatmap"), {"register": corporate.pk}).content.decode()
    assert 'aria-label="Likelihood 4, impact 3: 1 risk, Amber"' in only_corporate


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_risks_already_held(shipped_data, pmo):
    """A database with risks before the counts existed gets them counted when it migrates; stepping back removes
    the triggers with the table."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("risks", "0009_risk_ordering_by_register_id")], [("risks", "0010_open_risk_cells")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    programme, _, _ = build_portfolio(projects=2, workstreams=1, by=pmo)
    register = services.programme_register(programme, by=pmo)
    for n in range(3):
        raise_risk(register, pmo, f"Held {n}", Scores((5, 4), (1 + n, 3), (2, 2)))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert open_cell_counts("current", register) == {(1, 3): 1, (2, 3): 1, (3, 3): 1}
    assert open_cell_counts("inherent") == {(5, 4): 3}
    assert_counts_true()


def test_counts_left_wrong_outside_the_triggers_are_found_and_rebuilt_by_the_recount_command(registers, pmo):
    from io import StringIO

    from django.core.management import CommandError, call_command

    programme, corporate = registers
    raise_risk(programme, pmo, "IT capacity")
    raise_risk(programme, pmo, "Vetting backlog")
    raise_risk(corporate, pmo, "Estates", Scores((3, 3), (2, 2), (1, 1)))
    checked = StringIO()
    call_command("recount_open_risks", "--check", stdout=checked)
    assert "match the risks" in checked.getvalue()
    # As a data-only load that brought the kept rows too would leave them (each risk counted twice), and a cell
    # lost as a TRUNCATE would lose it: neither goes through a trigger.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE risks_openriskcell SET open_risks = open_risks * 2")
        cursor.execute("DELETE FROM risks_openriskcell WHERE register_id = %s AND score = 'target'", [corporate.pk])
    assert open_cell_counts("current") == {(4, 3): 4, (2, 2): 2}

    reported = StringIO()
    with pytest.raises(CommandError, match="run `manage.py recount_open_risks`"):
        call_command("recount_open_risks", "--check", stdout=reported)
    assert f"register {programme.pk}, current score, likelihood 4 x impact 3: kept 4, open risks 2" in (
        reported.getvalue()
    )
    assert f"register {corporate.pk}, target score, likelihood 1 x impact 1: kept 0, open risks 1" in (
        reported.getvalue()
    )
    assert open_cell_counts("current") == {(4, 3): 4, (2, 2): 2}  # checking changes nothing

    rebuilt = StringIO()
    call_command("recount_open_risks", stdout=rebuilt)
    assert "Rebuilt the open-risk counts: 6 cell(s) hold open risks" in rebuilt.getvalue()
    assert_counts_true()
    raise_risk(corporate, pmo, "Fleet")  # and the triggers go on from the rebuilt counts
    assert_counts_true()


def test_the_register_pages_every_open_risk_by_the_kept_count_and_counts_a_filtered_list(
    client, registers, pmo, viewer, monkeypatch
):
    from risks import views

    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 2)
    programme, corporate = registers
    for n in range(4):
        raise_risk(programme, pmo, f"Programme risk {n}")
    raise_risk(corporate, pmo, "Estates", Scores((3, 3), (2, 2), (1, 1)))
    services.risk_close(risk=Risk.objects.get(title="Programme risk 0"), closed_reason="Done", by=pmo)
    client.force_login(viewer)
    url = reverse("risks:register_list")

    def page(params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url, params).content.decode()
        counted = any("COUNT(" in q["sql"].upper() and '"risks_risk"' in q["sql"] for q in queries.captured_queries)
        return html, counted

    html, counted = page({})
    assert not counted  # four open risks, from the kept counts: two pages
    assert 'href="?page=2"' in html and 'href="?page=3"' not in html
    last, _ = page({"page": 2})
    assert last.count("Programme risk") + last.count("Estates") == 2
    filtered, counted = page({"register": programme.pk})
    assert counted and "Programme risk 1" in filtered and "Estates" not in filtered
    assert "page=2" in filtered and "page=3" not in filtered  # three open in this register
    closed, counted = page({"status": "closed"})
    assert counted and "Programme risk 0" in closed and "Programme risk 1" not in closed
