"""Importing an existing tracker from Excel: programmes, workstreams and projects, and their dated status
updates, so that a five-year spreadsheet arrives as five years of history and trend.

The whole file is read and checked before anything is written: every problem is reported with its sheet, row,
column and (where there is a list) the values allowed, and a file with any problem saves nothing. Levels are
matched only by their scale's own labels and codes, or the aliases an administrator has given a level.
A dry run does everything, then rolls it back, and reports what would be created.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workstreams import services
from workstreams.models import Lifecycle, Programme, Project, StatusDimension, StatusLevel, StatusUpdate, Workstream
from workstreams.services import RatingInput

# sheet: [(header, required)]
SHEETS = {
    "Programmes": [("Code", True), ("Name", True), ("Organisation", False), ("Start date", False)],
    "Workstreams": [
        ("Programme code", True),
        ("Name", True),
        ("Lead", False),
        ("Start date", False),
        ("Lifecycle", False),
    ],
    "Projects": [
        ("Programme code", True),
        ("Workstream", True),
        ("Name", True),
        ("Manager", False),
        ("Start date", False),
        ("Baseline end date", False),
        ("Forecast end date", False),
        ("Lifecycle", False),
    ],
    "Updates": [
        ("Programme code", True),
        ("Workstream", False),
        ("Project", False),
        ("As of", True),
        ("Dimension", True),
        ("Level", True),
        ("Reason", False),
        ("Narrative", False),
    ],
}
LIST_SHOWN = 12  # allowed values listed in one message


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
    updates: int = 0
    ratings: int = 0
    first: date | None = None
    last: date | None = None
    saved: bool = False

    def __str__(self):
        span = f", dated {self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}" if self.first else ""
        verb = "Imported" if self.saved else "Would import"
        return (
            f"{verb} {self.programmes} new programmes, {self.workstreams} new workstreams, {self.projects} new "
            f"projects and {self.updates} status updates ({self.ratings} ratings){span}."
        )


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None

    @property
    def ok(self):
        return not self.problems


class ImportRefused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _DryRun(Exception):
    pass


# --- The template ---------------------------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty tracker to fill in: one sheet per kind of row, a read-me, and the levels each dimension takes."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    for line in [
        "ChangeProg tracker import",
        "",
        "Fill in the Programmes, Workstreams, Projects and Updates sheets; leave the header rows as they are.",
        "Programmes are matched by code, workstreams by programme and name, projects by workstream and name:",
        "rows for ones that already exist add nothing, so an existing programme's updates can be imported alone.",
        "Updates: one row per rating. Leave Workstream and Project empty for a programme's own status, and",
        "Project empty for a workstream's. Rows with the same item and As of date form one update.",
        "Dates are date cells or DD/MM/YYYY. Lead and Manager are ChangeProg user names.",
        "Level must be one of the dimension's levels exactly as the Levels sheet lists them (label or code).",
        "Nothing is saved unless the whole file is valid; every problem is reported by sheet, row and column.",
    ]:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([header for header, _ in columns])
        for index, (header, required) in enumerate(columns, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True, underline="single" if required else None)
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(header) + 4)
        sheet.freeze_panes = "A2"
    levels = book.create_sheet("Levels")
    levels.append(["Dimension (code)", "Dimension", "Applies to", "Level code", "Level label", "Means"])
    for cell in levels[1]:
        cell.font = Font(bold=True)
    for dimension in StatusDimension.objects.filter(programme__isnull=True).select_related("scale").order_by("order"):
        applies = ", ".join(
            kind
            for kind, on in (
                ("programme", dimension.applies_to_programme),
                ("workstreams", dimension.applies_to_workstreams),
                ("projects", dimension.applies_to_projects),
            )
            if on
        )
        for level in dimension.scale.levels.order_by("severity"):
            levels.append([dimension.code, dimension.name, applies, level.code, level.label, level.definition[:200]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- Reading and checking ---------------------------------------------------------------------------------------


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


class Reader:
    """Reads the workbook's sheets into rows keyed by header, noting problems as it goes."""

    def __init__(self, book, problems: list[Problem]):
        self.book = book
        self.problems = problems

    def rows(self, name: str):
        columns = SHEETS[name]
        if name not in self.book.sheetnames:
            self.problems.append(Problem(name, 0, "", "The sheet is missing; use the template."))
            return []
        sheet = self.book[name]
        if (sheet.max_row or 0) - 1 > settings.IMPORT_MAX_ROWS:
            self.problems.append(
                Problem(
                    name,
                    0,
                    "",
                    f"The sheet has {sheet.max_row - 1:,} rows; an import takes at most {settings.IMPORT_MAX_ROWS:,} "
                    "per sheet. Split the file.",
                )
            )
            return []
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v).lower() for v in next(rows, ())]
        expected = [h.lower() for h, _ in columns]
        if header[: len(expected)] != expected:
            self.problems.append(
                Problem(name, 1, "", f"The header row should read: {', '.join(h for h, _ in columns)}.")
            )
            return []
        found = []
        for number, values in enumerate(rows, start=2):
            values = list(values[: len(columns)]) + [None] * (len(columns) - len(values))
            if all(v is None or _text(v) == "" for v in values):
                continue
            row = {header: value for (header, _), value in zip(columns, values, strict=True)}
            row["_row"] = number
            for header, required in columns:
                if required and _text(row[header]) == "":
                    self.problem(name, row, header, "This is required.")
            found.append(row)
        return found

    def problem(self, sheet: str, row: dict, header: str, message: str):
        index = [h for h, _ in SHEETS[sheet]].index(header) + 1
        self.problems.append(Problem(sheet, row["_row"], f"{get_column_letter(index)} ({header})", message))

    def date(self, sheet, row, header):
        try:
            return _date(row[header])
        except ValueError:
            self.problem(sheet, row, header, f"“{_text(row[header])}” is not a date; use a date cell or DD/MM/YYYY.")
            return None


@dataclass
class Plan:
    """What the file asks for, checked: new structure and the updates, each tied to its item's key."""

    programmes: dict = field(default_factory=dict)  # code -> Programme (existing) or dict (new)
    workstreams: dict = field(default_factory=dict)  # (code, name) -> Workstream or dict
    projects: dict = field(default_factory=dict)  # (code, workstream, name) -> Project or dict
    updates: dict = field(default_factory=lambda: defaultdict(list))  # (key, as_of) -> [(dimension, level, reason)]
    narratives: dict = field(default_factory=dict)  # (key, as_of) -> narrative


def _level_index(levels):
    """{scale id: {word: level}} for every label, code and alias, exactly as written."""
    index = defaultdict(dict)
    for level in levels:
        for word in [level.label, level.code, *level.aliases.splitlines()]:
            if word.strip():
                index[level.scale_id][word.strip()] = level
    return index


def _check(book) -> tuple[Plan, list[Problem]]:
    problems: list[Problem] = []
    read = Reader(book, problems)
    plan = Plan()
    users = {u.get_username(): u for u in get_user_model().objects.filter(is_active=True)}
    lifecycles = {v: v for v in Lifecycle.values} | {label: value for value, label in Lifecycle.choices}

    def person(sheet, row, header):
        name = _text(row[header])
        if name and name not in users:
            read.problem(sheet, row, header, f"There is no active ChangeProg user called “{name}”.")
        return users.get(name)

    def lifecycle(sheet, row):
        value = _text(row["Lifecycle"]) or Lifecycle.ACTIVE
        if value not in lifecycles:
            read.problem(
                sheet, row, "Lifecycle", f"Allowed values: {_allowed(label for _, label in Lifecycle.choices)}."
            )
        return lifecycles.get(value, Lifecycle.ACTIVE)

    existing = {p.code: p for p in Programme.objects.all()}
    for row in read.rows("Programmes"):
        code = _text(row["Code"])
        if code in plan.programmes:
            read.problem("Programmes", row, "Code", f"Programme {code} appears twice.")
        elif code:
            plan.programmes[code] = existing.get(code) or {
                "code": code,
                "name": _text(row["Name"]),
                "organisation": _text(row["Organisation"]),
                "start_date": read.date("Programmes", row, "Start date"),
            }

    def programme_for(sheet, row):
        code = _text(row["Programme code"])
        if code in plan.programmes:
            return code
        if code in existing:
            plan.programmes[code] = existing[code]
            return code
        if code:
            read.problem(sheet, row, "Programme code", f"No programme has the code “{code}”; add it to Programmes.")
        return None

    known_ws = {(w.programme.code, w.name): w for w in Workstream.objects.select_related("programme")}
    for row in read.rows("Workstreams"):
        code, name = programme_for("Workstreams", row), _text(row["Name"])
        if code and name:
            key = (code, name)
            if key in plan.workstreams:
                read.problem("Workstreams", row, "Name", f"{name} appears twice in programme {code}.")
                continue
            plan.workstreams[key] = known_ws.get(key) or {
                "name": name,
                "lead": person("Workstreams", row, "Lead"),
                "start_date": read.date("Workstreams", row, "Start date"),
                "lifecycle": lifecycle("Workstreams", row),
            }

    def workstream_for(sheet, row, code):
        name = _text(row["Workstream"])
        key = (code, name)
        if key in plan.workstreams:
            return key
        if key in known_ws:
            plan.workstreams[key] = known_ws[key]
            return key
        if name:
            read.problem(
                sheet, row, "Workstream", f"Programme {code} has no workstream “{name}”; add it to Workstreams."
            )
        return None

    known_projects = {
        (p.workstream.programme.code, p.workstream.name, p.name): p
        for p in Project.objects.select_related("workstream__programme")
    }
    for row in read.rows("Projects"):
        code = programme_for("Projects", row)
        ws_key = workstream_for("Projects", row, code) if code else None
        name = _text(row["Name"])
        if ws_key and name:
            key = (*ws_key, name)
            if key in plan.projects:
                read.problem("Projects", row, "Name", f"{name} appears twice in {ws_key[1]}.")
                continue
            baseline = read.date("Projects", row, "Baseline end date")
            start = read.date("Projects", row, "Start date")
            if baseline and start and baseline < start:
                read.problem("Projects", row, "Baseline end date", "The baseline end is before the start.")
            plan.projects[key] = known_projects.get(key) or {
                "name": name,
                "manager": person("Projects", row, "Manager"),
                "start_date": start,
                "baseline_end_date": baseline,
                "forecast_end_date": read.date("Projects", row, "Forecast end date") or baseline,
                "lifecycle": lifecycle("Projects", row),
            }

    # Dimensions per programme: its own, or the organisation's defaults for a programme the file creates.
    defaults = list(StatusDimension.objects.filter(programme__isnull=True).select_related("scale"))
    levels = _level_index(StatusLevel.objects.all())
    per_programme: dict = {}

    def recorded(code):
        """The programme's dimensions and the (item, date) of every update it already has, read once."""
        if code not in per_programme:
            programme = plan.programmes[code]
            if isinstance(programme, Programme):
                per_programme[code] = (
                    list(programme.dimensions.select_related("scale")),
                    _existing_update_keys(programme),
                )
            else:
                per_programme[code] = (defaults, set())
        return per_programme[code]

    today = timezone.localdate()
    for row in read.rows("Updates"):
        code = programme_for("Updates", row)
        if not code:
            continue
        dims, existing_updates = recorded(code)
        ws_name, project_name = _text(row["Workstream"]), _text(row["Project"])
        if project_name and not ws_name:
            read.problem("Updates", row, "Workstream", "Name the project's workstream too.")
            continue
        if ws_name:
            ws_key = workstream_for("Updates", row, code)
            if not ws_key:
                continue
            key, applies = (ws_key, "applies_to_workstreams")
            if project_name:
                key, applies = ((*ws_key, project_name), "applies_to_projects")
                if key not in plan.projects and key not in known_projects:
                    read.problem(
                        "Updates", row, "Project", f"{ws_name} has no project “{project_name}”; add it to Projects."
                    )
                    continue
                plan.projects.setdefault(key, known_projects.get(key))
        else:
            key, applies = ((code,), "applies_to_programme")
        as_of = read.date("Updates", row, "As of")
        if as_of and as_of > today:
            read.problem("Updates", row, "As of", "A status cannot be dated in the future.")
        if as_of and (key, as_of) in existing_updates:
            read.problem("Updates", row, "As of", f"There is already an update dated {as_of:%d/%m/%Y} for this item.")
        usable = [d for d in dims if getattr(d, applies)]
        word = _text(row["Dimension"])
        dimension = next((d for d in usable if word in (d.code, d.name)), None)
        if dimension is None:
            if word:
                read.problem("Updates", row, "Dimension", f"Allowed values here: {_allowed(d.name for d in usable)}.")
            continue
        level_word = _text(row["Level"])
        level = levels[dimension.scale_id].get(level_word)
        if level is None:
            if level_word:
                allowed = [lv.label for lv in dict.fromkeys(levels[dimension.scale_id].values())]
                read.problem(
                    "Updates",
                    row,
                    "Level",
                    f"“{level_word}” is not a level of {dimension.name} ({dimension.scale.name}). "
                    f"Allowed values: {_allowed(allowed)} (or their codes).",
                )
            continue
        reason = _text(row["Reason"])
        if level.requires_reason and not reason:
            read.problem("Updates", row, "Reason", f"A rating of {level.label} needs a reason.")
        if as_of:
            ratings = plan.updates[(key, as_of)]
            if any(d.pk == dimension.pk for d, _, _ in ratings):
                read.problem(
                    "Updates", row, "Dimension", f"{dimension.name} is rated twice for this item on this date."
                )
            ratings.append((dimension, level, reason))
            narrative = _text(row["Narrative"])
            if narrative:
                previous = plan.narratives.get((key, as_of))
                plan.narratives[(key, as_of)] = (
                    f"{previous}\n\n{narrative}" if previous and previous != narrative else narrative
                )
    return plan, problems


def _existing_update_keys(programme: Programme) -> set:
    """(item key, as_of) for every update the programme and its work already have."""
    from django.db.models import Q

    updates = StatusUpdate.objects.filter(
        Q(programme=programme) | Q(workstream__programme=programme) | Q(project__workstream__programme=programme)
    ).select_related("workstream", "project__workstream")
    keys = set()
    for u in updates:
        if u.project_id:
            key = (programme.code, u.project.workstream.name, u.project.name)
        elif u.workstream_id:
            key = (programme.code, u.workstream.name)
        else:
            key = (programme.code,)
        keys.add((key, u.as_of))
    return keys


# --- Writing ----------------------------------------------------------------------------------------------------


def _at(day: date):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _write(plan: Plan, *, by, source: str) -> Summary:
    reason = f"Imported from {source}"
    summary = Summary()
    programmes = {}
    for code, value in plan.programmes.items():
        if isinstance(value, Programme):
            programmes[code] = value
        else:
            programmes[code] = services.programme_create(**value, manager=by, by=by, reason=reason)
            summary.programmes += 1
    workstreams = {}
    for (code, name), value in plan.workstreams.items():
        if isinstance(value, Workstream):
            workstreams[(code, name)] = value
        else:
            workstreams[(code, name)] = services.workstream_create(
                programme=programmes[code], by=by, reason=reason, **value
            )
            summary.workstreams += 1
    projects = {}
    for (code, ws_name, name), value in plan.projects.items():
        if isinstance(value, Project):
            projects[(code, ws_name, name)] = value
        elif value is not None:
            projects[(code, ws_name, name)] = services.project_create(
                workstream=workstreams[(code, ws_name)], by=by, reason=reason, **value
            )
            summary.projects += 1
    dims = {}
    for (key, as_of), ratings in sorted(plan.updates.items(), key=lambda item: item[0][1]):
        subject = {1: programmes, 2: workstreams, 3: projects}[len(key)][key[0] if len(key) == 1 else key]
        programme = programmes[key[0]]
        if programme.pk not in dims:
            dims[programme.pk] = {d.code: d for d in programme.dimensions.all()}
        services.status_update_submit(
            subject=subject,
            as_of=as_of,
            ratings=[RatingInput(dims[programme.pk][d.code], level, why) for d, level, why in ratings],
            by=by,
            progress=plan.narratives.get((key, as_of), ""),
            reason=reason,
            when=_at(as_of),
        )
        summary.updates += 1
        summary.ratings += len(ratings)
        summary.first = min(filter(None, [summary.first, as_of]))
        summary.last = max(filter(None, [summary.last, as_of]))
    return summary


def import_tracker(upload, *, by, source: str, size: int | None = None, dry_run: bool = False) -> Result:
    """Check, then (unless `dry_run`) save everything in one transaction. Nothing is saved if anything is wrong."""
    size = size if size is not None else getattr(upload, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        message = (
            f"The file is {filesizeformat(size)}; an import takes at most "
            f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Split it."
        )
        return Result([Problem("File", 0, "", message)])
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        return Result([Problem("File", 0, "", "This is not an Excel workbook (.xlsx). Start from the template.")])
    try:
        plan, problems = _check(book)
    finally:
        book.close()
    if problems:
        return Result(problems)
    try:
        with transaction.atomic():
            summary = _write(plan, by=by, source=source)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return Result([], summary)
    summary.saved = True
    return Result([], summary)
