"""The office's finance workbook in and out: one row per item, month and kind, with the tracker import's rules
(`workstreams.importer.register`): columns by header, every cell strict (text where money is wanted, a negative
budget, a month outside its financial year are problems on their cells), nothing saved unless all is valid, a
dry run. A row whose figures ChangeProg already holds changes nothing, so the same file twice doubles nothing.
The export gives the same columns."""

import re
from datetime import date, datetime

from finance import services
from finance.models import FinanceLine, MoneyKind
from finance.selectors import scope
from finance.years import FinancialYear
from workstreams.importer.reading import Column
from workstreams.importer.register import RegisterImport
from workstreams.models import Workstream

EXPORT_HEADERS = ["Programme code", "Workstream", "Project", "Financial year", "Month", "Kind", "Budget", "Actual",
                  "Forecast"]  # fmt: skip
MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May", "May"),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],  # fmt: skip
        start=1,
    )
    for name in names
}
_MONTH_TEXT = re.compile(r"^([A-Za-z]+)(?:\s+(\d{4}))?$")


class FinanceImport(RegisterImport):
    title = "Finance figures"
    sheets = {
        "Finance": [
            Column("Programme code", True),
            Column("Workstream"),
            Column("Project"),
            Column("Financial year", True),
            Column("Month", True),
            Column("Kind", True),
            Column("Budget"),
            Column("Actual"),
            Column("Forecast"),
        ]
    }
    readme = [
        "Finance: one row per item, month and kind (Capital or Revenue), with the month's budget, actual spend",
        "and forecast in pounds (numbers, to the penny; no £ sign or words). Leave Workstream and Project empty",
        "for the programme's own figures; give the Workstream for a workstream's, the Project (and its Workstream",
        "if two projects share a name) for a project's. Financial year as 2026/27 (April to March); Month as a",
        "date cell, April 2026, or April (in the row's financial year). A budget cannot be negative; actuals and",
        "forecasts can (a credit). A row for figures ChangeProg already holds changes nothing.",
    ]

    def _workstream(self, row, programme, name):
        if not hasattr(self, "_workstreams"):
            self._workstreams = {(w.programme_id, w.name): w for w in Workstream.objects.all()}
        found = self._workstreams.get((programme.pk, name))
        if found is None:
            self.problem(row, "Workstream", f"{programme.code} has no workstream called “{name}”.")
        return found

    def _year(self, row):
        text = row.text("Financial year")
        if not text:
            return None
        try:
            return FinancialYear.parse(text)
        except ValueError as error:
            self.problem(row, "Financial year", str(error))
            return None

    def _month(self, row, year):
        raw, text = row.values.get("Month"), row.text("Month")
        if not text:
            return None
        if isinstance(raw, datetime | date):
            month = date(raw.year, raw.month, 1)
        else:
            found = _MONTH_TEXT.match(text)
            number = MONTHS.get(found.group(1).lower()) if found else None
            if number is None:
                self.problem(row, "Month", f"“{text[:30]}” is not a month; write April 2026, April, or a date cell.")
                return None
            if found.group(2):
                month = date(int(found.group(2)), number, 1)
            elif year is None:
                return None
            else:
                month = next(m for m in year.months() if m.month == number)
        if year is not None and month not in year:
            self.problem(
                row, "Month", f"{month:%B %Y} is not in {year} ({year.first_day:%B %Y} to {year.last_day:%B %Y})."
            )
            return None
        return month

    def check(self) -> dict:
        plan: dict = {}  # (subject, year): {(month, kind): values}
        seen = {}
        for row in self.read.rows("Finance"):
            programme, year = self.programme(row), self._year(row)
            month = self._month(row, year)
            kind = self.choice(row, "Kind", MoneyKind.choices, required=True)
            values = {
                "budget": self.number(row, "Budget", required=False, minimum=0),
                "actual": self.number(row, "Actual", required=False),
                "forecast": self.number(row, "Forecast", required=False),
            }
            for header, value in zip(("Budget", "Actual", "Forecast"), values.values(), strict=True):
                if value is not None and (abs(value) >= 10**12 or value != round(value, 2)):
                    self.problem(row, header, "Pounds to the penny, below £1,000,000,000,000.")
            if programme is None:
                continue
            ws_name, project_name = row.text("Workstream"), row.text("Project")
            if project_name:
                subject = self.project(row, programme, "Project", workstream=ws_name)
            elif ws_name:
                subject = self._workstream(row, programme, ws_name)
            else:
                subject = programme
            if None in (subject, year, month, kind):
                continue
            key = (type(subject).__name__, subject.pk, month, kind)
            if key in seen:
                self.problem(row, "Month", f"{subject} has {month:%B %Y} {kind} already, on row {seen[key]}.")
                continue
            seen[key] = row.number
            plan.setdefault((subject, year), {})[(month, kind)] = values
        return plan

    def write(self, plan, *, by, reason: str) -> dict:
        changed = 0
        for (subject, year), values in plan.items():
            changed += services.finance_year_save(subject=subject, year=year, values=values, by=by, reason=reason)
        return {"monthly figures": changed}


def export_rows(subject, year: FinancialYear):
    """The subject's lines for `year` and everything under it, in the import's columns."""
    found = (
        FinanceLine.objects.filter(scope(subject), month__gte=year.first_day, month__lte=year.last_day)
        .select_related("programme", "workstream__programme", "project__workstream__programme")
        .order_by("month", "kind", "pk")
    )
    for line in found:
        workstream = line.workstream or (line.project.workstream if line.project else None)
        programme = line.programme or workstream.programme
        yield [
            programme.code,
            workstream.name if workstream else "",
            line.project.name if line.project else "",
            str(year),
            line.month,
            line.get_kind_display(),
            line.budget,
            line.actual,
            line.forecast,
        ]
