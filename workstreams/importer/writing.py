"""Saving a checked plan through the services, in one transaction, as one `ImportBatch`; a rule the checks did not
catch becomes a problem placed on its row."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from workstreams import services
from workstreams.importer.plan import NewItem, Plan
from workstreams.importer.reading import Problem, day
from workstreams.models import (
    ImportBatch,
    Programme,
    Project,
    Workstream,
)
from workstreams.services import RatingInput


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
        span = f", dated {day(self.first)} to {day(self.last)}" if self.first else ""
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


class _Refused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


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
