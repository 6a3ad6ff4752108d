"""The open-risk counts the database keeps (`OpenRiskCell`), checked against the risks and rebuilt from them.

The triggers of migration `risks/0010` keep the counts through every row written. Two things bypass row triggers: a
`TRUNCATE` of the risks table alone, and a data-only load that brings the counts table's rows as well as the risks
(each risk arriving is counted once by the triggers and once more by the loaded rows). `manage.py recount_open_risks`
finds (`--check`) and mends either."""

from django.db import connection, transaction
from django.db.models import Count

from risks.models import OpenRiskCell, Risk, RiskStatus

Cell = tuple[int, str, int, int]  # register id, score, likelihood, impact


def counted() -> dict[Cell, int]:
    """How many open risks sit in each register's cells of each score, counted from the risks (one query a score)."""
    found = {}
    for score in OpenRiskCell.SCORES:
        rows = (
            Risk.objects.filter(status=RiskStatus.OPEN)
            .order_by()
            .values_list("register_id", f"{score}_likelihood", f"{score}_impact")
            .annotate(n=Count("pk"))
        )
        found.update({(register, score, likelihood, impact): n for register, likelihood, impact, n in rows})
    return found


def kept() -> dict[Cell, int]:
    """The counts the database keeps, leaving out cells kept at nought."""
    rows = OpenRiskCell.objects.exclude(open_risks=0).values_list(
        "register_id", "score", "likelihood", "impact", "open_risks"
    )
    return {(register, score, likelihood, impact): n for register, score, likelihood, impact, n in rows}


def differences() -> list[tuple[Cell, int, int]]:
    """Each cell whose kept count is not the count of its open risks: (cell, kept, counted), in cell order."""
    have, want = kept(), counted()
    return [(cell, have.get(cell, 0), want.get(cell, 0)) for cell in sorted(have.keys() | want.keys())
            if have.get(cell, 0) != want.get(cell, 0)]  # fmt: skip


def recount() -> int:
    """Rebuild the kept counts from the risks, in one transaction, with writes to the risks held off meanwhile
    (PostgreSQL; SQLite allows one writer at a time anyway). Returns how many cells hold open risks."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE risks_risk IN SHARE MODE")
        OpenRiskCell.objects.all().delete()
        cells = [
            OpenRiskCell(register_id=register, score=score, likelihood=likelihood, impact=impact, open_risks=n)
            for (register, score, likelihood, impact), n in counted().items()
        ]
        OpenRiskCell.objects.bulk_create(cells, batch_size=1000)
    return len(cells)
