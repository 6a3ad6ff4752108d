"""The empty tracker to fill in: a read-me, one sheet per kind of row, and the levels each dimension takes."""

from collections import defaultdict
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from changeprog import custom_fields
from changeprog.spreadsheets import append_row
from workstreams.importer.checks import Checks
from workstreams.importer.reading import SHEETS, Column
from workstreams.models import (
    StatusDimension,
    StatusLevel,
)


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
        "The organisation's own fields follow the standard columns, headed by their labels; they are read for",
        "new items only. Numbers and money are numbers (no words), dates as above, choices exactly as listed.",
    ]:
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 110
    own = {sheet: custom_fields.fields_for(record) for sheet, record in Checks.CUSTOM_SHEETS.items()}
    for name, standard in SHEETS.items():
        taken = {c.header.lower() for c in standard}
        columns = standard + [Column(f.label, f.required) for f in own.get(name, []) if f.label.lower() not in taken]
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
