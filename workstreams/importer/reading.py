"""Reading a workbook: its sheets and their columns, the limits, and each sheet's rows keyed by header, with every
problem placed on its sheet, row and column. Rows are counted by reading them, never from the sheet's own record of
its size, and an archive that unpacks to far more than a tracker is refused before anything reads it."""

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from openpyxl.utils import get_column_letter

from changeprog.effective import day_text


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False


# sheet: its columns, found by header in any order
SHEETS = {
    "Programmes": [Column("Code", True), Column("Name", True), Column("Organisation"), Column("Start date")],
    "Workstreams": [
        Column("Programme code", True),
        Column("Name", True),
        Column("Lead"),
        Column("Start date"),
        Column("Lifecycle"),
        Column("Closed on"),
        Column("Stage"),
    ],
    "Projects": [
        Column("Programme code", True),
        Column("Workstream", True),
        Column("Name", True),
        Column("Manager"),
        Column("Start date"),
        Column("Baseline end date"),
        Column("Forecast end date"),
        Column("Lifecycle"),
        Column("Closed on"),
        Column("Stage"),
    ],
    "Updates": [
        Column("Programme code", True),
        Column("Workstream"),
        Column("Project"),
        Column("As of", True),
        Column("Dimension", True),
        Column("Level"),
        Column("Reason"),
        Column("Narrative"),
    ],
}


LIST_SHOWN = 12  # allowed values listed in one message
MAX_COLUMNS = 100  # columns read from a header row; the template's sheets have at most ten, and own fields
MAX_ARCHIVE_MEMBERS = 1_000  # parts of an .xlsx archive; a workbook of a few sheets has a few dozen
NAME_MAX = 200
CODE_MAX = 20


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str  # the column's letter and header, e.g. "F (Level)"; "" for the whole sheet or file
    message: str

    def __str__(self):
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet
        return f"{where}{f', column {self.column}' if self.column else ''}: {self.message}"


def day(value) -> str:
    return day_text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value):
    """A date from a date cell or DD/MM/YYYY (or YYYY-MM-DD) text; None if empty; raises ValueError if neither."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def allowed(values) -> str:
    values = list(values)
    shown = ", ".join(f"“{v}”" for v in values[:LIST_SHOWN])
    return shown + (f" (and {len(values) - LIST_SHOWN} more)" if len(values) > LIST_SHOWN else "")


@dataclass
class Row:
    sheet: str
    number: int
    values: dict  # header: raw value
    letters: dict  # header: column letter

    def text(self, header) -> str:
        return _text(self.values.get(header))


class Reader:
    """Reads each sheet into rows keyed by header, noting problems as it goes."""

    def __init__(self, book, problems: list[Problem], extra: dict | None = None, sheets: dict | None = None):
        self.book = book
        self.problems = problems
        self.cells = 0  # read so far, across the sheets
        self.extra = extra or {}  # sheet: more columns it may have (the organisation's own fields)
        self.sheets = sheets or SHEETS  # sheet: its columns (the tracker's, or a register's)

    def rows(self, name: str) -> list[Row]:
        standard = {c.header.lower() for c in self.sheets[name]}
        columns = self.sheets[name] + [c for c in self.extra.get(name, []) if c.header.lower() not in standard]
        if name not in self.book.sheetnames:
            self.problems.append(Problem(name, 0, "", "The sheet is missing; use the template."))
            return []
        sheet = self.book[name]
        # The sheet's own record of its size can be wrong (or forged): rows are counted by reading them, and
        # only the columns a header names are read.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
        known = {c.header.lower(): c.header for c in columns}
        letters, positions = {}, {}
        for index, value in enumerate(header, start=1):
            word = _text(value)
            if not word:
                continue
            letter = get_column_letter(index)
            if word.lower() not in known:
                self.problems.append(
                    Problem(
                        name,
                        1,
                        f"{letter} ({word[:40]})",
                        f"ChangeProg does not import a column “{word[:40]}” here. Columns: "
                        f"{', '.join(c.header for c in columns)}.",
                    )
                )
                continue
            canonical = known[word.lower()]
            if canonical in positions:
                self.problems.append(Problem(name, 1, f"{letter} ({word})", f"The column {canonical} appears twice."))
                continue
            positions[canonical], letters[canonical] = index - 1, letter
        width = max(positions.values(), default=0) + 1
        values = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
        missing = [c.header for c in columns if c.required and c.header not in positions]
        if missing:
            self.problems.append(Problem(name, 1, "", f"The header row lacks the required {', '.join(missing)}."))
            return []
        found = []
        for number, cells in enumerate(values, start=2):
            self.cells += width
            if self.cells > settings.IMPORT_MAX_CELLS:
                self.problems.append(
                    Problem(
                        name,
                        number,
                        "",
                        f"The file holds more than {settings.IMPORT_MAX_CELLS:,} cells in its sheets; an import "
                        "takes at most that many. Split the file.",
                    )
                )
                return []
            if number - 1 > settings.IMPORT_MAX_ROWS:
                self.problems.append(
                    Problem(
                        name,
                        0,
                        "",
                        f"The sheet has more than {settings.IMPORT_MAX_ROWS:,} rows; an import takes at most "
                        f"{settings.IMPORT_MAX_ROWS:,} per sheet. Split the file.",
                    )
                )
                return []
            row = Row(
                name,
                number,
                {h: (cells[i] if i < len(cells) else None) for h, i in positions.items()},
                letters,
            )
            if all(_text(v) == "" for v in row.values.values()):
                continue
            for column in columns:
                if column.required and row.text(column.header) == "":
                    self.problem(row, column.header, "This is required.")
            found.append(row)
        return found

    def problem(self, row: Row, header: str, message: str):
        letter = row.letters.get(header)
        self.problems.append(Problem(row.sheet, row.number, f"{letter} ({header})" if letter else header, message))

    def date(self, row: Row, header: str):
        try:
            return _date(row.values.get(header))
        except ValueError:
            self.problem(row, header, f"“{row.text(header)}” is not a date; use a date cell or DD/MM/YYYY.")
            return None


def unpacked_problem(data: bytes) -> Problem | None:
    """An .xlsx file is a zip archive. One that unpacks to far more than a tracker (a "zip bomb") is refused
    before anything reads it, so memory stays bounded whatever the file claims."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return Problem("File", 0, "", "This is not an Excel workbook (.xlsx). Start from the template.")
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        return Problem(
            "File",
            0,
            "",
            f"The workbook unpacks to {filesizeformat(unpacked)} in {len(members):,} parts; an import takes at most "
            f"{filesizeformat(settings.IMPORT_MAX_UNPACKED_BYTES)}. Save it again from Excel, or split it.",
        )
    return None
