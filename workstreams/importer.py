"""Importing an existing tracker from Excel: programmes, workstreams and projects, and their dated status
updates, so that a five-year spreadsheet arrives as five years of history and trend.

The whole file is read and checked before anything is written: every problem is reported with its sheet, row,
column and (where there is a list) the values allowed, and a file with any problem saves nothing. Columns are
found by their header, in any order. Levels are matched only by the labels and codes of the scale each
dimension had in force on the row's date, or the aliases an administrator has given a level. A dry run does
everything, then rolls it back, and reports what would be created.

Dates in the file are effective dates: an item is on record from its start date (or its first dated update, if
that is earlier; with neither, from the day of the import), a closed item closes on its *Closed on* date, and an
update takes effect on its *As of* date. Everything is recorded as entered today by the importing user, so the
history says it was recorded later. Each import is an `ImportBatch` (file, checksum, who, when, counts) that
everything it made points to; a file already imported is refused, and an update already recorded identically is
skipped, so importing the same tracker twice doubles nothing.
"""

import hashlib
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from changeprog.effective import first_effective_dates
from changeprog.spreadsheets import append_row
from workstreams import services
from workstreams.models import (
    ImportBatch,
    Lifecycle,
    Programme,
    Project,
    StatusDimension,
    StatusLevel,
    StatusUpdate,
    Workstream,
)
from workstreams.services import RatingInput


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
MAX_COLUMNS = 100  # columns read from a header row; the template's sheets have at most nine
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


@dataclass
class Summary:
    programmes: int = 0
    workstreams: int = 0
    projects: int = 0
    closed: int = 0
    updates: int = 0
    ratings: int = 0
    skipped: int = 0  # updates the file repeats exactly as already recorded
    first: date | None = None
    last: date | None = None
    saved: bool = False
    batch: ImportBatch | None = None

    def __str__(self):
        span = f", dated {_day(self.first)} to {_day(self.last)}" if self.first else ""
        verb = "Imported" if self.saved else "Would import"
        skipped = ""
        if self.skipped:
            skipped = f" {self.skipped} updates already recorded exactly as in the file were left as they are."
        return (
            f"{verb} {self.programmes} new programmes, {self.workstreams} new workstreams, {self.projects} new "
            f"projects ({self.closed} of them closed) and {self.updates} status updates ({self.ratings} ratings)"
            f"{span}.{skipped}"
        )

    def counts(self) -> dict:
        return {
            name: getattr(self, name)
            for name in ("programmes", "workstreams", "projects", "closed", "updates", "ratings", "skipped")
        }


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None

    @property
    def ok(self):
        return not self.problems


class _Refused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _DryRun(Exception):
    pass


def _day(value) -> str:
    return formats.date_format(value, "j M Y")


# --- The template ---------------------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty tracker to fill in: one sheet per kind of row, a read-me, and the levels each dimension takes."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    for line in [
        "ChangeProg tracker import",
        "",
        "Fill in the Programmes, Workstreams, Projects and Updates sheets. Columns are found by their header,",
        "in any order; underlined headers are required. A column ChangeProg does not know is reported.",
        "Programmes are matched by code, workstreams by programme and name, projects by workstream and name:",
        "rows for ones that already exist add nothing, so an existing programme's updates can be imported alone.",
        "Dates are when things were true: an item is on record from its Start date (or its first update, if",
        "earlier), a Closed item closes on its Closed on date (required), and each update is as at its As of date.",
        "Updates: one row per rating. Leave Workstream and Project empty for a programme's own status, and",
        "Project empty for a workstream's. Rows with the same item and As of date form one update.",
        "Dates are date cells or DD/MM/YYYY. Lead and Manager are ChangeProg user names.",
        "Level must be one of the levels of the scale the dimension used on that date, as the Levels sheet lists",
        "them (label, code or alias). A dimension that accepts 'not reported' takes a row with no level but a",
        "reason or narrative as that state.",
        "Nothing is saved unless the whole file is valid; every problem is reported by sheet, row and column.",
        "A file is imported once: the same file again is refused, and updates already recorded are not doubled.",
    ]:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in columns])
        for index, column in enumerate(columns, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True, underline="single" if column.required else None)
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        sheet.freeze_panes = "A2"
    _levels_sheet(book.create_sheet("Levels"))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _levels_sheet(sheet):
    """Every dimension (the defaults for a new programme, and each existing programme's own) with each scale it
    has used and from when, and every level of those scales with its aliases."""
    sheet.append(
        [
            "Programme",
            "Dimension (code)",
            "Dimension",
            "Applies to",
            "Scale",
            "In force from",
            "Level code",
            "Level label",
            "Aliases",
            "Kind",
            "Means",
            "Not reported as",
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    levels = defaultdict(list)
    for level in StatusLevel.objects.select_related("scale").order_by("severity"):
        levels[level.scale_id].append(level)
    dimensions = list(
        StatusDimension.objects.select_related("programme", "not_reported_level").order_by(
            "programme__code", "order", "name"
        )
    )
    periods = defaultdict(list)  # dimension id: [(from, scale)] in force
    history = StatusDimension.history.select_related("scale").order_by("id", "effective_date", "history_id")
    for row in history:
        runs = periods[row.id]
        if not runs or runs[-1][1].pk != row.scale_id:
            runs.append((row.effective_date, row.scale))
    for dimension in sorted(
        dimensions, key=lambda d: (d.programme_id is not None, d.programme.code if d.programme_id else "")
    ):
        applies = ", ".join(
            kind
            for kind, on in (
                ("programme", dimension.applies_to_programme),
                ("workstreams", dimension.applies_to_workstreams),
                ("projects", dimension.applies_to_projects),
            )
            if on
        )
        owner = dimension.programme.code if dimension.programme_id else "(default for a new programme)"
        runs = periods.get(dimension.pk) or [(None, dimension.scale)]
        for start, scale in runs:
            for level in levels[scale.pk]:
                append_row(
                    sheet,
                    [
                        owner,
                        dimension.code,
                        dimension.name,
                        applies,
                        str(scale),
                        start,
                        level.code,
                        level.label,
                        ", ".join(a.strip() for a in level.aliases.splitlines() if a.strip()),
                        "rating" if level.is_rating else "not a rating",
                        level.definition[:200],
                        dimension.not_reported_level.label if dimension.not_reported_level_id else "",
                    ],
                )
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].number_format = "DD/MM/YYYY"


# --- Reading ------------------------------------------------------------------------------------------------------


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


def _allowed(values) -> str:
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

    def __init__(self, book, problems: list[Problem]):
        self.book = book
        self.problems = problems
        self.cells = 0  # read so far, across the sheets

    def rows(self, name: str) -> list[Row]:
        columns = SHEETS[name]
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


# --- Checking -----------------------------------------------------------------------------------------------------


@dataclass
class NewItem:
    """An item the file creates: its values, its dates, and where it was read (for problems)."""

    row: Row
    values: dict
    start: date | None = None
    closed_on: date | None = None
    closure: dict = field(default_factory=dict)
    effective: date | None = None  # on record from (worked out once every row is read)


@dataclass
class PlannedUpdate:
    key: tuple
    as_of: date
    ratings: list = field(default_factory=list)  # (dimension, level, reason)
    narrative: str = ""
    rows: list = field(default_factory=list)


@dataclass
class Plan:
    """What the file asks for, checked: new structure and the updates, each tied to its item's key."""

    programmes: dict = field(default_factory=dict)  # code -> Programme (existing) or NewItem
    workstreams: dict = field(default_factory=dict)  # (code, name) -> Workstream or NewItem
    projects: dict = field(default_factory=dict)  # (code, workstream, name) -> Project or NewItem
    updates: dict = field(default_factory=dict)  # (key, as_of) -> PlannedUpdate
    skipped: int = 0


def _level_index(levels):
    """{scale id: {word: level}} for every label, code and alias, exactly as written."""
    index = defaultdict(dict)
    for level in levels:
        for word in [level.label, level.code, *level.aliases.splitlines()]:
            if word.strip():
                index[level.scale_id][word.strip()] = level
    return index


class Checker:
    """Checks the workbook one sheet at a time into a `Plan`; every problem is noted, nothing is written."""

    def __init__(self, book):
        self.problems: list[Problem] = []
        self.read = Reader(book, self.problems)
        self.plan = Plan()
        self.today = timezone.localdate()
        self.users = {u.get_username(): u for u in get_user_model().objects.filter(is_active=True)}
        self.lifecycles = {v.lower(): v for v in Lifecycle.values} | {
            label.lower(): value for value, label in Lifecycle.choices
        }
        self.existing_programmes = {p.code: p for p in Programme.objects.all()}
        self.known_workstreams = {(w.programme.code, w.name): w for w in Workstream.objects.select_related("programme")}
        self.known_projects = {
            (p.workstream.programme.code, p.workstream.name, p.name): p
            for p in Project.objects.select_related("workstream__programme")
        }

    def check(self) -> tuple[Plan, list[Problem]]:
        self.programmes()
        self.workstreams()
        self.projects()
        self.updates()
        self.dates()
        return self.plan, self.problems

    # -- helpers
    def person(self, row, header):
        name = row.text(header)
        if name and name not in self.users:
            self.read.problem(row, header, f"There is no active ChangeProg user called “{name}”.")
        return self.users.get(name)

    def name(self, row, header="Name") -> str:
        text = row.text(header)
        if len(text) > NAME_MAX:
            self.read.problem(row, header, f"A name is at most {NAME_MAX} characters; this one has {len(text)}.")
        return text

    def lifecycle_and_closure(self, row) -> tuple[str, date | None]:
        word = row.text("Lifecycle")
        value = self.lifecycles.get(word.lower()) if word else Lifecycle.ACTIVE
        if value is None:
            self.read.problem(row, "Lifecycle", f"Allowed values: {_allowed(label for _, label in Lifecycle.choices)}.")
            value = Lifecycle.ACTIVE
        closed_on = self.read.date(row, "Closed on")
        if value == Lifecycle.CLOSED and closed_on is None and not row.text("Closed on"):
            self.read.problem(row, "Closed on", "A closed item needs the date it closed.")
        if closed_on and value != Lifecycle.CLOSED:
            self.read.problem(
                row, "Lifecycle", f"A Closed on date is given, so the lifecycle must be Closed, not {word or 'empty'}."
            )
        if closed_on and closed_on > self.today:
            self.read.problem(row, "Closed on", "An item cannot have closed on a day in the future.")
        return value, closed_on

    def programme_for(self, row):
        code = row.text("Programme code")
        if code in self.plan.programmes:
            return code
        if code in self.existing_programmes:
            self.plan.programmes[code] = self.existing_programmes[code]
            return code
        if code:
            self.read.problem(row, "Programme code", f"No programme has the code “{code}”; add it to Programmes.")
        return None

    def workstream_for(self, row, code):
        name = row.text("Workstream")
        key = (code, name)
        if key in self.plan.workstreams:
            return key
        if key in self.known_workstreams:
            self.plan.workstreams[key] = self.known_workstreams[key]
            return key
        if name:
            self.read.problem(row, "Workstream", f"Programme {code} has no workstream “{name}”; add it to Workstreams.")
        return None

    # -- one checker per sheet
    def programmes(self):
        for row in self.read.rows("Programmes"):
            code = row.text("Code")
            if code in self.plan.programmes:
                self.read.problem(row, "Code", f"Programme {code} appears twice.")
                continue
            if not code:
                continue
            if code in self.existing_programmes:
                self.plan.programmes[code] = self.existing_programmes[code]
                continue
            if len(code) > CODE_MAX or not code.replace("-", "").replace("_", "").isalnum():
                self.read.problem(
                    row, "Code", f"A code is up to {CODE_MAX} letters, digits, hyphens or underscores, with no spaces."
                )
            start = self.read.date(row, "Start date")
            self.plan.programmes[code] = NewItem(
                row,
                {"code": code, "name": self.name(row), "organisation": row.text("Organisation"), "start_date": start},
                start=start,
            )

    def workstreams(self):
        for row in self.read.rows("Workstreams"):
            code, name = self.programme_for(row), self.name(row)
            if not (code and name):
                continue
            key = (code, name)
            if key in self.plan.workstreams:
                self.read.problem(row, "Name", f"{name} appears twice in programme {code}.")
                continue
            if key in self.known_workstreams:
                self.plan.workstreams[key] = self.known_workstreams[key]
                continue
            start = self.read.date(row, "Start date")
            lifecycle, closed_on = self.lifecycle_and_closure(row)
            if closed_on and start and closed_on < start:
                self.read.problem(row, "Closed on", "It closed before it started.")
            self.plan.workstreams[key] = NewItem(
                row,
                {
                    "name": name,
                    "order": row.number - 1,  # the file's order: the board shows them as the tracker lists them
                    "lead": self.person(row, "Lead"),
                    "start_date": start,
                    "lifecycle": Lifecycle.ACTIVE if lifecycle == Lifecycle.CLOSED else lifecycle,
                },
                start=start,
                closed_on=closed_on,
            )

    def projects(self):
        for row in self.read.rows("Projects"):
            code = self.programme_for(row)
            ws_key = self.workstream_for(row, code) if code else None
            name = self.name(row)
            if not (ws_key and name):
                continue
            key = (*ws_key, name)
            if key in self.plan.projects:
                self.read.problem(row, "Name", f"{name} appears twice in {ws_key[1]}.")
                continue
            if key in self.known_projects:
                self.plan.projects[key] = self.known_projects[key]
                continue
            start = self.read.date(row, "Start date")
            baseline = self.read.date(row, "Baseline end date")
            forecast = self.read.date(row, "Forecast end date")
            if baseline and start and baseline < start:
                self.read.problem(row, "Baseline end date", "The baseline end is before the start.")
            if forecast and start and forecast < start:
                self.read.problem(row, "Forecast end date", "The forecast end is before the start.")
            lifecycle, closed_on = self.lifecycle_and_closure(row)
            if closed_on and start and closed_on < start:
                self.read.problem(row, "Closed on", "It closed before it started.")
            self.plan.projects[key] = NewItem(
                row,
                {
                    "name": name,
                    "manager": self.person(row, "Manager"),
                    "start_date": start,
                    "baseline_end_date": baseline,
                    "forecast_end_date": forecast or baseline,
                    "lifecycle": Lifecycle.ACTIVE if lifecycle == Lifecycle.CLOSED else lifecycle,
                },
                start=start,
                closed_on=closed_on,
            )

    def updates(self):
        defaults = list(
            StatusDimension.objects.filter(programme__isnull=True).select_related("scale", "not_reported_level")
        )
        levels = list(StatusLevel.objects.select_related("scale"))
        words = _level_index(levels)
        by_scale = defaultdict(list)
        for level in levels:
            by_scale[level.scale_id].append(level)
        per_programme: dict = {}

        def context(code):
            """The programme's dimensions, each one's scales over time, and its recorded updates, read once."""
            if code not in per_programme:
                programme = self.plan.programmes[code]
                if isinstance(programme, Programme):
                    dims = list(programme.dimensions.select_related("scale", "not_reported_level"))
                    runs = _scale_runs([d.pk for d in dims])
                    per_programme[code] = (dims, runs, _recorded_updates(programme))
                else:
                    per_programme[code] = (defaults, {}, {})
            return per_programme[code]

        for row in self.read.rows("Updates"):
            code = self.programme_for(row)
            if not code:
                continue
            dims, runs, recorded = context(code)
            ws_name, project_name = row.text("Workstream"), row.text("Project")
            if project_name and not ws_name:
                self.read.problem(row, "Workstream", "Name the project's workstream too.")
                continue
            if ws_name:
                ws_key = self.workstream_for(row, code)
                if not ws_key:
                    continue
                key, applies = (ws_key, "applies_to_workstreams")
                if project_name:
                    key, applies = ((*ws_key, project_name), "applies_to_projects")
                    if key not in self.plan.projects and key not in self.known_projects:
                        self.read.problem(
                            row, "Project", f"{ws_name} has no project “{project_name}”; add it to Projects."
                        )
                        continue
                    self.plan.projects.setdefault(key, self.known_projects.get(key))
            else:
                key, applies = ((code,), "applies_to_programme")
            as_of = self.read.date(row, "As of")
            if as_of and as_of > self.today:
                self.read.problem(row, "As of", "A status cannot be dated in the future.")
            usable = [d for d in dims if getattr(d, applies)]
            word = row.text("Dimension")
            dimension = next((d for d in usable if word in (d.code, d.name)), None)
            if dimension is None:
                if word:
                    self.read.problem(row, "Dimension", f"Allowed values here: {_allowed(d.name for d in usable)}.")
                continue
            scale_id = _scale_on(runs.get(dimension.pk), as_of, dimension.scale_id)
            level_word, reason, narrative = row.text("Level"), row.text("Reason"), row.text("Narrative")
            if level_word:
                level = words[scale_id].get(level_word)
                if level is None:
                    scale = next((lv.scale for lv in by_scale[scale_id]), dimension.scale)
                    allowed = [lv.label for lv in by_scale[scale_id]]
                    when = f", the scale in force on {_day(as_of)}" if as_of else ""
                    self.read.problem(
                        row,
                        "Level",
                        f"“{level_word}” is not a level of {dimension.name} ({scale}{when}). "
                        f"Allowed values: {_allowed(allowed)} (or their codes and aliases).",
                    )
                    continue
            else:
                state = dimension.not_reported_level
                level = None
                if state is not None and (reason or narrative):
                    level = next((lv for lv in by_scale[scale_id] if lv.code == state.code and not lv.is_rating), None)
                if level is None:
                    hint = (
                        f" ({dimension.name} takes a row with a reason or narrative and no level as {state.label})"
                        if state
                        else ""
                    )
                    self.read.problem(row, "Level", f"Give a level{hint}.")
                    continue
            if level.requires_reason and not reason:
                self.read.problem(row, "Reason", f"A rating of {level.label} needs a reason.")
            if not as_of:
                continue
            planned = self.plan.updates.setdefault((key, as_of), PlannedUpdate(key, as_of))
            if any(d.pk == dimension.pk for d, _, _ in planned.ratings):
                self.read.problem(row, "Dimension", f"{dimension.name} is rated twice for this item on this date.")
            planned.ratings.append((dimension, level, reason))
            planned.rows.append(row)
            if narrative and narrative not in planned.narrative:
                planned.narrative = f"{planned.narrative}\n\n{narrative}" if planned.narrative else narrative
        self._against_recorded(per_programme)

    def _against_recorded(self, per_programme):
        """An update already recorded for the same item and date is skipped when the file says exactly the same,
        and refused when it says something else."""
        for (key, as_of), planned in list(self.plan.updates.items()):
            _, _, recorded = per_programme[key[0]]
            existing = recorded.get((key, as_of))
            if existing is None:
                continue
            wanted = {(d.code, level.pk, why) for d, level, why in planned.ratings}
            if wanted == existing["ratings"] and planned.narrative == existing["narrative"]:
                del self.plan.updates[(key, as_of)]
                self.plan.skipped += 1
                continue
            for row in planned.rows:
                self.read.problem(
                    row,
                    "As of",
                    f"This item already has an update as at {_day(as_of)}, recorded by {existing['by']}, that says "
                    "something else. Correct that update in ChangeProg, or remove these rows.",
                )

    def dates(self):
        """When each new item goes on record: its start date, or its first update if that is earlier, or today;
        a parent no later than its earliest child. A new item under an existing one may not precede it."""
        first_update: dict = {}
        for key, as_of in self.plan.updates:
            first_update[key] = min(as_of, first_update.get(key, as_of))

        def earliest(*days):
            days = [d for d in days if d]
            return min(days) if days else None

        for key, item in self.plan.projects.items():
            if isinstance(item, NewItem):
                item.effective = earliest(item.start, first_update.get(key))
        for key, item in self.plan.workstreams.items():
            if isinstance(item, NewItem):
                children = [
                    p.effective for k, p in self.plan.projects.items() if k[:2] == key and isinstance(p, NewItem)
                ]
                item.effective = earliest(item.start, first_update.get(key), *children)
        for code, item in self.plan.programmes.items():
            if isinstance(item, NewItem):
                children = [
                    w.effective for k, w in self.plan.workstreams.items() if k[0] == code and isinstance(w, NewItem)
                ]
                item.effective = earliest(item.start, first_update.get((code,)), *children)
        for collection in (self.plan.programmes, self.plan.workstreams, self.plan.projects):
            for item in collection.values():
                if isinstance(item, NewItem):
                    item.effective = min(item.effective or self.today, self.today)
                    started_later = item.start and item.closed_on and item.closed_on < item.start  # reported above
                    if item.closed_on and item.closed_on < item.effective and not started_later:
                        self.read.problem(
                            item.row, "Closed on", f"It closed before it was on record ({_day(item.effective)})."
                        )
        self._not_before_existing(first_update)

    def _not_before_existing(self, first_update):
        existing = {
            Programme: [p for p in self.plan.programmes.values() if isinstance(p, Programme)],
            Workstream: [w for w in self.plan.workstreams.values() if isinstance(w, Workstream)],
            Project: [p for p in self.plan.projects.values() if isinstance(p, Project)],
        }
        on_record = {model: first_effective_dates(model, [o.pk for o in objs]) for model, objs in existing.items()}

        def since(obj):
            return on_record[type(obj)].get(obj.pk)

        for children, parents, parent_of in (
            (self.plan.workstreams, self.plan.programmes, lambda key: key[0]),
            (self.plan.projects, self.plan.workstreams, lambda key: key[:2]),
        ):
            for key, item in children.items():
                parent = parents.get(parent_of(key))
                existing = parent is not None and not isinstance(parent, NewItem)
                if isinstance(item, NewItem) and existing and since(parent) and item.effective < since(parent):
                    kind = type(parent)._meta.verbose_name.capitalize()
                    self.read.problem(
                        item.row, "Start date", f"{kind} {parent} is on record only from {_day(since(parent))}."
                    )
        subjects = {1: self.plan.programmes, 2: self.plan.workstreams, 3: self.plan.projects}
        for (key, as_of), planned in self.plan.updates.items():
            subject = subjects[len(key)].get(key[0] if len(key) == 1 else key)
            if isinstance(subject, Programme | Workstream | Project) and since(subject) and as_of < since(subject):
                for row in planned.rows:
                    self.read.problem(
                        row, "As of", f"{subject} is on record in ChangeProg only from {_day(since(subject))}."
                    )


def _scale_runs(dimension_ids) -> dict[int, list[tuple[date, int]]]:
    """{dimension id: [(effective from, scale id)]} from the dimensions' history, in order."""
    runs = defaultdict(list)
    for dimension_id, effective, scale_id in (
        StatusDimension.history.filter(id__in=dimension_ids)
        .order_by("id", "effective_date", "history_date", "history_id")
        .values_list("id", "effective_date", "scale_id")
    ):
        runs[dimension_id].append((effective, scale_id))
    return runs


def _scale_on(runs, day, current_scale_id) -> int:
    """The scale in force on `day` from a dimension's runs (`StatusDimension.scale_on`, without a query)."""
    if not runs or day is None:
        return current_scale_id
    chosen = runs[0][1]
    for effective, scale_id in runs:
        if effective <= day:
            chosen = scale_id
    return chosen


def _recorded_updates(programme: Programme) -> dict:
    """{(item key, as_of): {"ratings": {(dimension code, level id, reason)}, "narrative", "by"}} for every
    update the programme and its work already have (three queries)."""
    updates = StatusUpdate.objects.filter(
        Q(programme=programme) | Q(workstream__programme=programme) | Q(project__workstream__programme=programme)
    ).select_related("workstream", "project__workstream", "author")
    found = {}
    by_id = {}
    for u in updates:
        if u.project_id:
            key = (programme.code, u.project.workstream.name, u.project.name)
        elif u.workstream_id:
            key = (programme.code, u.workstream.name)
        else:
            key = (programme.code,)
        author = (u.author.get_full_name() or u.author.get_username()) if u.author else "someone"
        found[(key, u.as_of)] = by_id[u.pk] = {"ratings": set(), "narrative": u.progress, "by": author}
    from workstreams.models import StatusRating

    for update_id, code, level_id, reason in StatusRating.objects.filter(update_id__in=list(by_id)).values_list(
        "update_id", "dimension__code", "level_id", "reason"
    ):
        by_id[update_id]["ratings"].add((code, level_id, reason))
    return found


# --- Writing ------------------------------------------------------------------------------------------------------


def _write(plan: Plan, *, by, source: str, checksum: str) -> Summary:
    summary = Summary(skipped=plan.skipped)
    batch = ImportBatch.objects.create(file_name=source[:255], checksum=checksum, imported_by=by)
    reason = f"Imported from {source} (import {batch.pk})"
    common = {"by": by, "reason": reason, "import_batch": batch}

    def attempt(row, write):
        """Run one write; a rule the checks above did not catch becomes a problem placed on its row."""
        try:
            return write()
        except ValidationError as error:
            messages = (
                error.messages
                if not hasattr(error, "error_dict")
                else [m for msgs in error.message_dict.values() for m in msgs]
            )
            raise _Refused([Problem(row.sheet, row.number, "", message) for message in messages]) from error

    programmes = {}
    for code, value in plan.programmes.items():
        if isinstance(value, Programme):
            programmes[code] = value
            continue
        programmes[code] = attempt(
            value.row,
            lambda v=value: services.programme_create(**v.values, manager=by, effective=v.effective, **common),
        )
        summary.programmes += 1
    workstreams = {}
    for (code, name), value in plan.workstreams.items():
        if isinstance(value, Workstream):
            workstreams[(code, name)] = value
            continue
        workstreams[(code, name)] = attempt(
            value.row,
            lambda v=value, c=code: services.workstream_create(
                programme=programmes[c], effective=v.effective, **v.values, **common
            ),
        )
        summary.workstreams += 1
    projects = {}
    for (code, ws_name, name), value in plan.projects.items():
        if isinstance(value, Project):
            projects[(code, ws_name, name)] = value
        elif value is not None:
            projects[(code, ws_name, name)] = attempt(
                value.row,
                lambda v=value, k=(code, ws_name): services.project_create(
                    workstream=workstreams[k], effective=v.effective, **v.values, **common
                ),
            )
            summary.projects += 1
    dims = {}
    for (key, as_of), planned in sorted(plan.updates.items(), key=lambda item: item[0][1]):
        subject = {1: programmes, 2: workstreams, 3: projects}[len(key)][key[0] if len(key) == 1 else key]
        programme = programmes[key[0]]
        if programme.pk not in dims:
            dims[programme.pk] = {d.code: d for d in programme.dimensions.all()}
        attempt(
            planned.rows[0],
            lambda p=planned, s=subject, d=dims[programme.pk]: services.status_update_submit(
                subject=s,
                as_of=p.as_of,
                ratings=[RatingInput(d[dim.code], level, why) for dim, level, why in p.ratings],
                by=by,
                progress=p.narrative,
                import_batch=batch,
                change_reason=reason,
            ),
        )
        summary.updates += 1
        summary.ratings += len(planned.ratings)
        summary.first = min(filter(None, [summary.first, as_of]))
        summary.last = max(filter(None, [summary.last, as_of]))
    # Closures last: an item's facts take effect in order, and it may have updates dated before it closed.
    for collection, made in ((plan.workstreams, workstreams), (plan.projects, projects)):
        for key, value in collection.items():
            if isinstance(value, NewItem) and value.closed_on:
                item = made[key]
                attempt(
                    value.row,
                    lambda i=item, v=value: services.item_close(
                        item=i,
                        closed_on=v.closed_on,
                        closure_note="",
                        by=by,
                        reason=reason,
                        effective=v.closed_on,
                    ),
                )
                summary.closed += 1
    batch.counts = summary.counts()
    batch.first_date, batch.last_date = summary.first, summary.last
    batch.save(update_fields=["counts", "first_date", "last_date"])
    summary.batch = batch
    return summary


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


def import_tracker(upload, *, by, source: str, size: int | None = None, dry_run: bool = False, on_stage=None) -> Result:
    """Check, then (unless `dry_run`) save everything in one transaction. Nothing is saved if anything is wrong.

    `on_stage(stage, updates)` is told when checking starts ("checking") and when writing starts ("writing",
    with the number of updates to write), so a background job can show how far it has got.
    """
    size = size if size is not None else getattr(upload, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        message = (
            f"The file is {filesizeformat(size)}; an import takes at most "
            f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Split it."
        )
        return Result([Problem("File", 0, "", message)])
    data = upload.read()
    if refusal := unpacked_problem(data):
        return Result([refusal])
    checksum = hashlib.sha256(data).hexdigest()
    earlier = ImportBatch.objects.filter(checksum=checksum).select_related("imported_by").first()
    if earlier is not None:
        who = (
            earlier.imported_by.get_full_name() or earlier.imported_by.get_username()
            if earlier.imported_by
            else "someone"
        )
        return Result(
            [
                Problem(
                    "File",
                    0,
                    "",
                    f"This file was imported on {_day(timezone.localdate(earlier.imported_at))} by {who} "
                    f"(import {earlier.pk}); importing it again would add nothing.",
                )
            ]
        )
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        return Result([Problem("File", 0, "", "This is not an Excel workbook (.xlsx). Start from the template.")])
    if on_stage:
        on_stage("checking", 0)
    try:
        plan, problems = Checker(book).check()
    finally:
        book.close()
    if problems:
        return Result(problems)
    if on_stage:
        on_stage("writing", len(plan.updates))
    try:
        with transaction.atomic():
            summary = _write(plan, by=by, source=source, checksum=checksum)
            if dry_run:
                raise _DryRun
    except _DryRun:
        summary.batch = None
        return Result([], summary)
    except _Refused as refused:
        return Result(refused.problems)
    summary.saved = True
    return Result([], summary)
