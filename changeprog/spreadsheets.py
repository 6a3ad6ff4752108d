"""Excel downloads of lists: the rows the user filtered to, as a real .xlsx a committee secretary can use.

Every text ChangeProg writes into a workbook is data, never a formula: a cell whose text starts with =, +, -, @,
a tab or a carriage return (which a spreadsheet could read as a formula, OWASP's "CSV injection") is written as
a text cell with Excel's quote prefix, so a project named =HYPERLINK(…) stays those characters.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(*, filename: str, title: str, headers: list[str], rows) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        values = [_cell(value) for value in row]
        append_row(sheet, values)
        widths = [max(w, min(len(str(v or "")), 60)) for w, v in zip(widths, values, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response


def workbook_response(*, filename: str, sheets: dict) -> HttpResponse:
    """A workbook of several sheets, {title: (headers, rows)}, each written as `xlsx_response` writes one."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, [_cell(value) for value in row])
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
        sheet.freeze_panes = "A2"
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response


def xlsx_file_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook already made (a template to fill in) as a download."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet, values):
    """Append a row whose text is kept as text (never a formula). A text that could be read as a formula goes
    in as a text cell made beforehand, so appending stays as quick as openpyxl's own (no re-reading the sheet)."""
    sheet.append([_text_cell(sheet, v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in values])


def _text_cell(sheet, value: str) -> Cell:
    cell = Cell(sheet, value=value)
    as_text(cell)
    return cell


def as_text(cell):
    """Make a cell that holds text a plain text cell if its text could be read as a formula."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, date | int | float | Decimal) or value is None:
        return value  # numbers stay numbers (money as Decimal), so Excel can sum and sort them
    return str(value)
