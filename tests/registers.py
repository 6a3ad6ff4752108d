"""Filling a register import's template for tests: rows given as {header: value}, each header checked to be one
the template has (a test that misspells a header fails here, not in the import)."""

import io

from openpyxl import load_workbook

from workstreams.importer.register import template_workbook


def filled(importer_class, **sheets) -> bytes:
    """The template of `importer_class` with each sheet's rows appended (`Risks=[{...}], Actions=[...]`)."""
    book = load_workbook(io.BytesIO(template_workbook(importer_class)))
    for sheet, rows in sheets.items():
        header = [cell.value for cell in book[sheet][1]]
        for values in rows:
            unknown = set(values) - set(header)
            assert not unknown, f"{sheet} has no column {unknown}"
            book[sheet].append([values.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
