"""The grid update: every open item of a programme or workstream that the user may update, a row each, recorded
in one step.

Each row starts from last period's levels; the rows owing an update this period (`workstreams.owed`, the rule
My work and the reminders use) are ticked to record. Saving runs the single form's rules for each ticked row
(rights, one update per item per date, the scale in force, reasons where a level needs one, no lost updates) in
one transaction: one row in error saves nothing, and every row keeps what was typed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from workstreams import rules, selectors, services
from workstreams.access import can_edit_programme, can_edit_project, can_edit_workstream
from workstreams.concurrency import update_conflict, updates_versions
from workstreams.forms import GridDateForm, GridRowForm
from workstreams.models import Programme, StatusLevel, Workstream

# A programme with more rows than this (for the person asking) offers a grid per workstream instead.
MAX_ROWS = 150


@dataclass
class GridRow:
    item: object
    kind: str
    status: selectors.ItemStatus
    owed: bool
    form: GridRowForm | None  # None when the grid is too long to offer as one page
    depth: int = 0
    duplicate: object = None  # the update already recorded for the date asked, to correct instead

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.pk}"


@dataclass
class Grid:
    subject: Programme | Workstream
    programme: Programme
    dimensions: list  # every dimension any row reports on: the grid's columns
    rows: list[GridRow]
    date_form: GridDateForm
    period: tuple[date, date]
    error: str = ""
    recorded: list = field(default_factory=list)
    too_long: bool = False  # more rows than `row_limit`: listed per workstream, with no forms built

    @property
    def errors(self) -> list[tuple[GridRow, str, str]]:
        """(row, field id or "", message) for every row error: what the summary at the top lists."""
        found = []
        for row in self.rows:
            for name, messages in row.form.errors.items():
                anchor = row.form[name].auto_id if name in row.form.fields else row.form["record"].auto_id
                found.extend((row, anchor, message) for message in messages)
        return found

    @property
    def by_workstream(self) -> list[tuple[object, int, int]]:
        """(workstream, rows, rows owing an update) for the rows under each workstream, in order."""
        found: dict = {}
        for row in self.rows:
            workstream = row.item if row.kind == "workstream" else getattr(row.item, "workstream", None)
            if workstream is None:
                continue
            counts = found.setdefault(workstream.pk, [workstream, 0, 0])
            counts[1] += 1
            counts[2] += row.owed
        return [tuple(v) for v in found.values()]

    @property
    def has_errors(self) -> bool:
        return bool(self.error or self.date_form.errors or any(row.form.errors for row in self.rows))


def offers_grid(user, workstreams, *, can_edit: bool) -> bool:
    """Whether an item page offers the grid: the user may update the page's item or leads or manages something
    open under it (`workstreams` are ItemStatus rows with their projects; read without a query)."""
    if can_edit:
        return True
    return any(
        (rules.is_open(ws.item) and ws.item.lead_id == user.pk)
        or any(rules.is_open(p.item) and p.item.manager_id == user.pk for p in getattr(ws, "projects", []))
        for ws in workstreams
    )


class GridInvalid(Exception):
    """Some row could not be recorded: nothing was saved."""


def build_grid(subject, user, today: date, data=None, row_limit: int | None = None) -> Grid:
    """The grid for a programme (itself, its workstreams and their projects) or a workstream (itself and its
    projects): the open items `user` may record updates for. A fixed number of queries. With more rows than
    `row_limit` the grid is `too_long`: its rows say what each workstream owes, and no form is built."""
    programme = subject if isinstance(subject, Programme) else subject.programme
    overview = selectors.programme_overview(programme)
    cadence = rules.cadence_for(programme)
    period = rules.period_due(today, cadence)
    workstreams = overview.workstreams
    if isinstance(subject, Workstream):
        workstreams = [w for w in workstreams if w.item.pk == subject.pk]
    candidates = []
    if isinstance(subject, Programme) and can_edit_programme(user, programme):
        candidates.append(("programme", overview.status, overview.programme_dimensions, 0))
    for ws in workstreams:
        ws.item.programme = programme
        if rules.is_open(ws.item) and can_edit_workstream(user, ws.item):
            candidates.append(("workstream", ws, overview.workstream_dimensions, 0))
        for status in ws.projects:
            status.item.workstream = ws.item  # the access rule reads the workstream's lead
            if rules.is_open(status.item) and can_edit_project(user, status.item):
                candidates.append(("project", status, overview.project_dimensions, 1))

    columns = []
    for dimensions in (overview.programme_dimensions, overview.workstream_dimensions, overview.project_dimensions):
        columns.extend(d for d in dimensions if d not in columns)
    levels_by_scale: dict[int, list] = {}
    for level in StatusLevel.objects.filter(scale__in={d.scale_id for d in columns}):
        levels_by_scale.setdefault(level.scale_id, []).append(level)
    too_long = row_limit is not None and len(candidates) > row_limit
    versions = {} if too_long else updates_versions(status.item for _, status, _, _ in candidates)

    rows = []
    for kind, status, dimensions, depth in candidates:
        last = status.update.as_of if status.update else None
        owed = rules.needs_update(last, today, cadence)
        if too_long:
            rows.append(GridRow(status.item, kind, status, owed, None, depth))
            continue
        form = GridRowForm(
            data,
            prefix=f"{kind}-{status.item.pk}",
            item=status.item,
            dimensions=dimensions,
            previous=status.update,
            levels_by_scale=levels_by_scale,
            owed=owed,
            initial={"seen_version": versions[(kind, status.item.pk)]},
        )
        by_dimension = {row["dimension"].pk: row for row in form.rows}
        form.cells = [by_dimension.get(dimension.pk) for dimension in columns]  # a cell per column; None: not reported
        rows.append(GridRow(status.item, kind, status, owed, form, depth))
    date_form = GridDateForm(data, initial={"as_of": today})
    return Grid(subject, programme, columns, rows, date_form, period, too_long=too_long)


def record_grid(grid: Grid, by) -> list:
    """Record every ticked row, or nothing: raises GridInvalid with the errors on the rows' forms."""
    checked = [grid.date_form.is_valid()] + [row.form.is_valid() for row in grid.rows]  # every row, for its errors
    valid = all(checked)
    chosen = [row for row in grid.rows if row.form.is_valid() and row.form.cleaned_data.get("record")]
    if valid and not chosen:
        grid.error = "Tick at least one row to record."
    if not valid or not chosen:
        raise GridInvalid
    as_of = grid.date_form.cleaned_data["as_of"]
    recorded = []
    with transaction.atomic():
        for row in chosen:
            item, form = row.item, row.form
            type(item).objects.select_for_update().filter(pk=item.pk).first()
            conflict = update_conflict(item, form.cleaned_data.get("seen_version"))
            if conflict:
                form.add_error(None, conflict)
                continue
            try:
                with transaction.atomic():
                    recorded.append(
                        services.status_update_submit(
                            subject=item,
                            as_of=as_of,
                            ratings=form.ratings(),
                            reason=form.cleaned_data["reason"],
                            progress=form.cleaned_data["progress"],
                            by=by,
                        )
                    )
            except services.DuplicateUpdate as error:
                row.duplicate = error.existing
                form.add_error(None, error.messages[0])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
        if any(row.form.errors for row in grid.rows):
            raise GridInvalid
    grid.recorded = recorded
    return recorded
