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

The package: `reading` (sheets, columns, limits, rows), `template`, one checker per sheet (`programmes`,
`workstreams`, `projects`, `updates`) and `dates` across them, sharing `checks.Checks`, building a `plan.Plan` that
`writing` saves.
"""

import hashlib
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from openpyxl import load_workbook

from changeprog.people import person_name
from workstreams.importer import dates, programmes, projects, updates, workstreams
from workstreams.importer.checks import Checks
from workstreams.importer.plan import Plan
from workstreams.importer.reading import Problem, day, unpacked_problem
from workstreams.importer.template import template_workbook
from workstreams.importer.writing import Summary, _Refused, _write
from workstreams.models import ImportBatch

# In order: each sheet's checker may use what the ones before it found, and dates looks across them all.
CHECKERS = (programmes.check, workstreams.check, projects.check, updates.check, dates.check)


def check(book) -> tuple[Plan, list[Problem]]:
    """Check the workbook one sheet at a time into a `Plan`; every problem is noted, nothing is written."""
    checks = Checks(book)
    for checker in CHECKERS:
        checker(checks)
    return checks.plan, checks.problems


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    summary: Summary | None = None

    @property
    def ok(self):
        return not self.problems


class _DryRun(Exception):
    pass


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
        who = person_name(earlier.imported_by) if earlier.imported_by else "someone"
        return Result(
            [
                Problem(
                    "File",
                    0,
                    "",
                    f"This file was imported on {day(timezone.localdate(earlier.imported_at))} by {who} "
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
        plan, problems = check(book)
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


__all__ = ["Problem", "Result", "Summary", "import_tracker", "template_workbook", "unpacked_problem"]
