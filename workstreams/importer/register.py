"""Importing a register the office keeps in Excel (risks with their scores and actions, benefits with their
measurements, dependencies) with the tracker import's rules: columns found by header in any order, every cell
read strictly (nothing coerced), every problem placed by sheet, row and column, the organisation's own fields
read by their labels, nothing saved unless the whole file is valid, a dry run that does everything and rolls
it back. A row for a record ChangeProg already holds (matched as each register says) adds nothing, so importing
the same file twice doubles nothing.

Each register is a subclass of `RegisterImport` in the app that owns its records (`risks.importer`,
`assurance.importer`); this module is what they share: reading, the helpers every sheet uses, the template, the
run in one transaction, and the page.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from changeprog import custom_fields
from changeprog.spreadsheets import xlsx_file_response
from workstreams.access import MANAGE_PORTFOLIO
from workstreams.forms import ImportForm as TrackerImportForm
from workstreams.importer.reading import Column, Problem, Reader, Row, allowed, unpacked_problem
from workstreams.models import Programme, Project


class ImportForm(TrackerImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Workbook (.xlsx)"


class _DryRun(Exception):
    pass


class _Refused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class RegisterResult:
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # what was (or would be) made, by kind, in the register's words
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        made = ", ".join(f"{n} {kind}" for kind, n in self.counts.items()) or "nothing"
        return f"{'Imported' if self.saved else 'Would import'} {made}."


class RegisterImport:
    """One register's import. A subclass names its sheets and their columns, the read-me lines of its template,
    which sheets carry which kind of record's own fields, and implements `check` (rows → a plan, noting
    problems) and `write` (the plan → records, through the app's services; returns the counts)."""

    title = ""
    sheets: dict[str, list[Column]] = {}
    own: dict[str, str] = {}  # sheet: the kind of record whose own fields are its extra columns
    readme: list[str] = []

    @classmethod
    def sheet_columns(cls) -> dict[str, list[Column]]:
        """Each sheet's columns; a register whose columns come from data (a scheme's categories) overrides it."""
        return cls.sheets

    def __init__(self, book):
        self.problems: list[Problem] = []
        self.own_fields = {sheet: custom_fields.fields_for(record) for sheet, record in self.own.items()}
        extra = {sheet: [Column(f.label) for f in fields] for sheet, fields in self.own_fields.items()}
        self.read = Reader(book, self.problems, extra=extra, sheets=self.sheet_columns())
        self.users = {u.get_username(): u for u in get_user_model().objects.filter(is_active=True)}

    # What a subclass implements ---------------------------------------------------------------------------------

    def check(self):
        raise NotImplementedError

    def write(self, plan, *, by, reason: str) -> dict:
        raise NotImplementedError

    # Reading cells, strictly ------------------------------------------------------------------------------------

    def problem(self, row: Row, header: str, message: str):
        self.read.problem(row, header, message)

    def text(self, row: Row, header: str, *, limit: int = 200) -> str:
        value = row.text(header)
        if len(value) > limit:
            self.problem(row, header, f"At most {limit} characters; this has {len(value)}.")
        return value

    def person(self, row: Row, header: str):
        name = row.text(header)
        if name and name not in self.users:
            self.problem(row, header, f"There is no active ChangeProg user called “{name}”.")
        return self.users.get(name)

    def date(self, row: Row, header: str, *, required: bool = False):
        value = self.read.date(row, header)
        if value is None and required and not row.text(header):
            self.problem(row, header, "This is required.")
        return value

    def whole(self, row: Row, header: str, *, allowed_values=None, required: bool = True):
        raw = row.values.get(header)
        text = row.text(header)
        if not text:
            if required:
                self.problem(row, header, "This is required.")
            return None
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()) or not text.lstrip("-").isdigit():
            self.problem(row, header, f"“{text[:40]}” is not a whole number.")
            return None
        value = int(text)
        if allowed_values is not None and value not in allowed_values:
            self.problem(row, header, f"Must be from {min(allowed_values)} to {max(allowed_values)}; {value} is not.")
            return None
        return value

    def number(self, row: Row, header: str, *, required: bool = True, minimum: Decimal | None = None):
        raw = row.values.get(header)
        text = row.text(header)
        if not text:
            if required:
                self.problem(row, header, "This is required.")
            return None
        if isinstance(raw, bool):
            self.problem(row, header, f"“{text}” is not a number.")
            return None
        try:
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(text.replace(",", ""))
        except InvalidOperation:
            self.problem(row, header, f"“{text[:40]}” is not a number.")
            return None
        if not value.is_finite():
            self.problem(row, header, f"“{text[:40]}” is not a number.")
            return None
        if minimum is not None and value < minimum:
            self.problem(row, header, f"Cannot be below {minimum}; {value} is.")
            return None
        return value

    def choice(self, row: Row, header: str, choices, *, required: bool = False, default=None):
        """A value from (value, label) `choices`, matched exactly by value or label, in any case."""
        word = row.text(header)
        if not word:
            if required:
                self.problem(row, header, "This is required.")
            return default
        known = {str(v).lower(): v for v, _ in choices} | {str(label).lower(): v for v, label in choices}
        if word.lower() not in known:
            self.problem(row, header, f"Allowed values: {allowed(label for _, label in choices)}.")
            return default
        return known[word.lower()]

    def programme(self, row: Row, header: str = "Programme code"):
        """The programme a row names by code, or None (with a problem on the cell)."""
        if not hasattr(self, "_programmes"):
            self._programmes = {p.code: p for p in Programme.objects.all()}
        code = row.text(header)
        if code and code not in self._programmes:
            self.problem(row, header, f"No programme has the code “{code}”.")
        return self._programmes.get(code)

    def project(self, row: Row, programme, header: str, *, workstream: str = ""):
        """The project of `programme` a row names in `header` (its `workstream` telling two of one name apart),
        or None (with a problem on the cell). One query for the whole file."""
        if not hasattr(self, "_projects"):
            self._projects: dict[tuple, list] = {}
            for found in Project.objects.select_related("workstream"):
                self._projects.setdefault((found.workstream.programme_id, found.name), []).append(found)
        name = row.text(header)
        if not name or programme is None:
            return None
        found = [
            p for p in self._projects.get((programme.pk, name), []) if not workstream or p.workstream.name == workstream
        ]
        if len(found) != 1:
            why = "no" if not found else "more than one (give its Workstream)"
            self.problem(row, header, f"Programme {programme.code} has {why} project called “{name}”.")
            return None
        return found[0]

    def own_values(self, row: Row) -> dict:
        """The row's own fields, each read by its type; a required one left empty is a problem on its cell."""
        values = {}
        people = {name.lower(): user.pk for name, user in self.users.items()}
        for own in self.own_fields.get(row.sheet, []):
            value, why = custom_fields.parse_cell(own, row.values.get(own.label), people)
            if why:
                self.problem(row, own.label, why)
            elif value is None and own.required:
                self.problem(row, own.label, f"{own.label} is required.")
            elif value is not None:
                values[own.code] = value
        return values

    def attempt(self, row: Row, write):
        """Run one write; a rule the checks above did not catch becomes a problem placed on its row."""
        try:
            return write()
        except ValidationError as error:
            found = (
                [(name, m) for name, msgs in error.message_dict.items() for m in msgs]
                if hasattr(error, "error_dict")
                else [("", m) for m in error.messages]
            )
            raise _Refused([Problem(row.sheet, row.number, "", message) for _, message in found]) from error


def run_import(importer_class, upload, *, by, dry_run: bool = False) -> RegisterResult:
    """Check the whole file, then (unless `dry_run`) write it in one transaction. Nothing is saved if anything is
    wrong; a dry run writes and rolls back, so its counts are what a real run would make."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        message = (
            f"The file is {filesizeformat(size)}; an import takes at most {filesizeformat(settings.IMPORT_MAX_BYTES)}."
        )
        return RegisterResult([Problem("File", 0, "", message)])
    data = upload.read()
    if refusal := unpacked_problem(data):
        return RegisterResult([refusal])
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not a workbook
        return RegisterResult(
            [Problem("File", 0, "", "This is not an Excel workbook (.xlsx). Start from the template.")]
        )
    try:
        importer = importer_class(book)
        plan = importer.check()
    finally:
        book.close()
    if importer.problems:
        return RegisterResult(importer.problems)
    reason = f"Imported from {getattr(upload, 'name', 'a file')[:200]}"
    result = RegisterResult()
    try:
        with transaction.atomic():
            result.counts = importer.write(plan, by=by, reason=reason)
            if dry_run:
                raise _DryRun
    except _DryRun:
        return result
    except _Refused as refused:
        return RegisterResult(refused.problems)
    result.saved = True
    return result


def template_workbook(importer_class) -> bytes:
    """The empty register to fill in: a read-me and one sheet per kind of row, the organisation's own fields as
    columns after the standard ones (required headers underlined)."""
    book = Workbook()
    readme = book.active
    readme.title = "Read me"
    lines = [
        f"ChangeProg {importer_class.title.lower()} import",
        "",
        *importer_class.readme,
        "",
        "Columns are found by their header, in any order; underlined headers are required. A column ChangeProg does",
        "not know is reported. Dates are date cells or DD/MM/YYYY; people are ChangeProg user names; numbers are",
        "numbers (no words). Nothing is saved unless the whole file is valid: every problem is reported by sheet,",
        "row and column. A row for a record ChangeProg already holds adds nothing, so a file imported twice",
        "doubles nothing.",
    ]
    for line in lines:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    for name, standard in importer_class.sheet_columns().items():
        sheet = book.create_sheet(name)
        taken = {c.header.lower() for c in standard}
        record = importer_class.own.get(name)
        own = [Column(f.label, f.required) for f in custom_fields.fields_for(record)] if record else []
        columns = standard + [c for c in own if c.header.lower() not in taken]
        sheet.append([c.header for c in columns])
        for index, column in enumerate(columns, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True, underline="single" if column.required else None)
            sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def import_page(request, importer_class, *, slug: str, back_url: str, back_label: str):
    """The page for one register's import: the template to download, a file to check or import, and the
    result (every problem by sheet, row and column, or what was made). The programme office's alone."""
    if not request.user.has_perm(MANAGE_PORTFOLIO):
        raise PermissionDenied(f"Only the programme office imports the {importer_class.title.lower()}.")
    if request.GET.get("template"):
        return xlsx_file_response(template_workbook(importer_class), f"changeprog-{slug}-template.xlsx")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = run_import(
            importer_class, form.cleaned_data["file"], by=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if result.ok:
            messages.success(request, result.summary())
    status = 400 if (form.is_bound and form.errors) or (result is not None and not result.ok) else 200
    return render(
        request,
        "workstreams/import_register.html",
        {
            "form": form,
            "result": result,
            "title": f"Import the {importer_class.title.lower()}",
            "importer": importer_class,
            "back_url": back_url,
            "back_label": back_label,
        },
        status=status,
    )


def import_view(importer: str, *, slug: str, back: str, back_label: str):
    """The view for one register's import page: `importer` is the dotted path of its `RegisterImport` (read when
    the page is asked for), `back` the URL name of the page it is reached from."""
    from django.contrib.auth.decorators import login_required
    from django.urls import reverse
    from django.utils.module_loading import import_string

    @login_required
    def view(request):
        return import_page(request, import_string(importer), slug=slug, back_url=reverse(back), back_label=back_label)

    view.__doc__ = f"Import the {slug.replace('-', ' ')} from Excel (the programme office's)."
    return view
