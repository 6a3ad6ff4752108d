"""What changed in a programme between two dates: status movements, lifecycle changes, moves, slips, new and
closed items, and reviews, each with who and why. A fixed number of queries, whatever the window holds.

Changes are placed on the day they took effect (a status update's as-of date, a history row's effective date,
a review's date). One recorded later than that day says so: "recorded later, on D by U". A report uses the
same mark to say whether the committee could have known it at the meeting.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from changeprog import custom_fields
from changeprog.effective import AS_AT_ORDER, day_text, end_of_day, instance_of
from workstreams.history import previous_row_id
from workstreams.models import (
    Lifecycle,
    Milestone,
    MilestoneStatus,
    Project,
    StatusDimension,
    StatusRating,
    StatusUpdate,
    Workstream,
    ids_under,
    subject_scope,
)
from workstreams.scales import SAME, STATE, LevelIndex
from workstreams.selectors import UPDATE_ORDER, read_shared

KINDS = {
    "status": "Status",
    "new": "New",
    "closed": "Closed",
    "lifecycle": "Lifecycle",
    "move": "Moved",
    "rename": "Renamed",
    "slip": "Slipped",
    "replan": "Re-planned",
    "review": "Programme review",
    "fields": "Details",
    "milestone": "Milestone",
    "milestone-slip": "Milestone slipped",
    "milestone-done": "Milestone achieved",
}


@dataclass
class Change:
    day: date
    kind: str
    item: object
    summary: str
    who: object = None
    why: str = ""
    old_level: object = None
    new_level: object = None
    direction: str = ""  # "worse", "better", "scale changed", "" (first rating, a state, or not a status)
    recorded_at: datetime | None = None
    recorded_by: object = None

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def recorded_on(self) -> date | None:
        return timezone.localdate(self.recorded_at) if self.recorded_at else None

    @property
    def recorded_later(self) -> bool:
        """Entered on a later day than the one it took effect."""
        return self.recorded_on is not None and self.recorded_on > self.day

    def known_by(self, day: date) -> bool:
        """Whether it had been recorded by the end of `day` (e.g. a meeting)."""
        return self.recorded_at is None or self.recorded_at < end_of_day(day)


def _previous_update(field: str) -> Subquery:
    """The id of the update before the outer one of the same item, `field` naming the kind of item."""
    earlier = (
        Q(as_of__lt=OuterRef("as_of"))
        | Q(as_of=OuterRef("as_of"), created_at__lt=OuterRef("created_at"))
        | Q(as_of=OuterRef("as_of"), created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    return Subquery(
        StatusUpdate.objects.filter(earlier, **{field: OuterRef(field)}).order_by(*UPDATE_ORDER).values("pk")[:1]
    )


@dataclass
class _Update:
    as_of: date
    created_at: datetime
    reason: str
    author: object
    subject: object


def _newest_first(*, pk: int, update: _Update):
    """The key that sorts updates as UPDATE_ORDER does: newest as-of date, then newest recorded, then id."""
    return (-update.as_of.toordinal(), -update.created_at.timestamp(), -pk)


def status_changes(programme, since: date, until: date, *, index: LevelIndex | None = None, subject=None):
    """Each rating that moved in an update dated after `since` up to `until`, against the same item's update
    before it: worse, better, scale changed (no declared equivalent), or a state that is not a rating."""
    if subject is not None:
        kind = type(subject)._meta.model_name
        scopes = [(kind, Q(**{kind: subject}))]
    else:
        # One query per kind of item, joined by UNION ALL: each is served by that kind's index on (item, date),
        # where one query with OR across the three read every programme's updates in the window.
        scopes = [
            ("programme", Q(programme=programme)),
            ("workstream", Q(workstream__programme=programme)),
            ("project", Q(project__workstream__programme=programme)),
        ]
    first, *others = [
        StatusUpdate.objects.filter(scope, as_of__gt=since, as_of__lte=until)
        .annotate(previous_id=_previous_update(kind))
        .values_list("pk", "previous_id")
        .order_by()
        for kind, scope in scopes
    ]
    pairs = list(first.union(*others, all=True).order_by() if others else first)
    if not pairs:  # nothing in the window: nothing more to read
        return []
    # Ratings are read as plain values (a window can hold thousands), levels and dimensions once each, and
    # only the updates in the window as objects: the cost stays in the database, not in building models.
    ratings: dict[int, list] = defaultdict(list)
    for update_id, dimension_id, level_id, reason in StatusRating.objects.filter(
        update_id__in=[pk for pair in pairs for pk in pair if pk]
    ).values_list("update_id", "dimension_id", "level_id", "reason"):
        ratings[update_id].append((dimension_id, level_id, reason))
    index = index or LevelIndex()
    dimensions = StatusDimension.objects.in_bulk(
        {dimension_id for rows in ratings.values() for dimension_id, _, _ in rows}
    )
    # Each update's day, words, author and item, each person and item made once however many updates name it.
    updates = {
        pk: _Update(as_of, created_at, reason, author, item_programme or workstream or project)
        for (pk, as_of, created_at, reason), (author, item_programme, workstream, project) in read_shared(
            StatusUpdate.objects.filter(pk__in=[pk for pk, _ in pairs]),
            ["pk", "as_of", "created_at", "reason"],
            ("author", "programme", "workstream", "project"),
        )
    }
    pairs.sort(key=lambda pair: _newest_first(pk=pair[0], update=updates[pair[0]]))
    changes = []
    for pk, previous_id in pairs:
        update = updates[pk]
        before = {dimension_id: level_id for dimension_id, level_id, _ in ratings.get(previous_id, [])}
        rows = sorted(ratings.get(pk, []), key=lambda row: (dimensions[row[0]].order, dimensions[row[0]].name))
        for dimension_id, level_id, reason in rows:
            level, old = index.get(level_id), index.get(before.get(dimension_id))
            movement = index.movement(old, level)
            if movement == SAME:
                continue
            changes.append(
                Change(
                    day=update.as_of,
                    kind="status",
                    item=update.subject,
                    summary=dimensions[dimension_id].name,
                    who=update.author,
                    why=reason or update.reason,
                    old_level=old,
                    new_level=level,
                    direction="" if movement == STATE else movement,
                    recorded_at=update.created_at,
                    recorded_by=update.author,
                )
            )
    return changes


def _history_window(model, since: date, until: date, *conditions, related=(), **filters):
    history = model.history.model
    return list(
        history.objects.filter(*conditions, effective_date__gt=since, effective_date__lte=until, **filters)
        .exclude(history_type="-")
        .annotate(previous_history_id=previous_row_id(history))
        .select_related("history_user", *related)
        .order_by(*AS_AT_ORDER)
    )


def structure_changes(programme, since: date, until: date, *, item=None) -> list[Change]:
    if item is None:
        windows = (
            (Workstream, _history_window(Workstream, since, until, programme_id=programme.pk)),
            (Project, _history_window(Project, since, until, workstream__programme=programme)),
        )
    else:
        windows = ((type(item), _history_window(type(item), since, until, id=item.pk)),)
    if not any(rows for _, rows in windows):  # nothing in the window: nothing more to read
        return []
    names = dict(Workstream.objects.filter(programme=programme).values_list("pk", "name"))
    changes = []
    for model, rows in windows:
        if not rows:
            continue
        earlier = model.history.model.objects.filter(history_id__in=[r.previous_history_id for r in rows])
        previous = {row.history_id: row for row in earlier}
        own = _OwnFields(model, rows, previous.values()) if any(r.custom for r in rows) else None
        for row in rows:
            before = previous.get(row.previous_history_id)
            changes.extend(_row_changes(row, before, names))
            if own and before is not None and row.custom != before.custom:
                changes.append(own.change(row, before))
    return changes


class _OwnFields:
    """Changes to the organisation's own fields (`changeprog.custom_fields`) read as one "Details" change per
    history row, field by field; two queries for a whole window."""

    def __init__(self, model, rows, earlier):
        self.fields = {f.code: f for f in custom_fields.fields_for(model.custom_record, active_only=False)}
        self.people = custom_fields.people_named(
            [r.custom for r in rows] + [r.custom for r in earlier], self.fields.values()
        )

    def change(self, row, before) -> Change:
        parts = []
        for code, field in self.fields.items():
            old, new = (before.custom or {}).get(code), (row.custom or {}).get(code)
            if old != new:
                shown = [custom_fields.display(field, v, self.people) or "none" for v in (old, new)]
                parts.append(f"{field.label}: {shown[0]} → {shown[1]}")
        return Change(
            day=row.effective_date,
            kind="fields",
            item=instance_of(row),
            summary="; ".join(parts),
            who=row.history_user,
            why=row.history_change_reason or "",
            recorded_at=row.history_date,
            recorded_by=row.history_user,
        )


def _dates(value) -> str:
    return day_text(value) if value else "none"


def _row_changes(row, before, names) -> list[Change]:
    item = instance_of(row)
    common = {
        "day": row.effective_date,
        "item": item,
        "who": row.history_user,
        "why": row.history_change_reason or "",
        "recorded_at": row.history_date,
        "recorded_by": row.history_user,
    }
    if row.history_type == "+" or before is None:
        where = f" in {names.get(row.workstream_id, 'another workstream')}" if isinstance(item, Project) else ""
        return [Change(kind="new", summary=f"Added{where}, {row.get_lifecycle_display().lower()}", **common)]
    found = []
    if row.name != before.name:
        found.append(Change(kind="rename", summary=f"{before.name} → {row.name}", **common))
    if row.lifecycle != before.lifecycle:
        if row.lifecycle == Lifecycle.CLOSED:
            found.append(Change(kind="closed", summary=row.closure_note or "Closed", **common))
        else:
            found.append(
                Change(
                    kind="lifecycle",
                    summary=f"{before.get_lifecycle_display()} → {row.get_lifecycle_display()}",
                    **common,
                )
            )
    if isinstance(item, Project) and row.workstream_id != before.workstream_id:
        found.append(
            Change(
                kind="move",
                summary=f"{names.get(before.workstream_id, '?')} → {names.get(row.workstream_id, '?')}",
                **common,
            )
        )
    if row.forecast_end_date != before.forecast_end_date and row.forecast_end_date:
        later = before.forecast_end_date is not None and row.forecast_end_date > before.forecast_end_date
        found.append(
            Change(
                kind="slip" if later else "replan",
                summary=f"Forecast end {_dates(before.forecast_end_date)} → {_dates(row.forecast_end_date)}",
                **common,
            )
        )
    return found


def review_changes(programme, since: date, until: date) -> list[Change]:
    return [
        Change(
            day=r.held_on,
            kind="review",
            item=programme,
            summary=r.summary,
            who=r.performed_by,
            why=r.reason,
            recorded_at=r.created_at,
            recorded_by=r.performed_by,
        )
        for r in programme.reviews.filter(held_on__gt=since, held_on__lte=until).select_related("performed_by")
    ]


def milestone_changes(programme, since: date, until: date) -> list[Change]:
    """Milestones added, slipped (their expected date moved later), re-planned, achieved and cancelled, each
    against the item it belongs to. Two queries."""
    from workstreams.milestones import in_programme

    rows = _history_window(Milestone, since, until, in_programme(programme), related=("workstream", "project"))
    if not rows:
        return []
    earlier = Milestone.history.model.objects.filter(history_id__in=[r.previous_history_id for r in rows])
    previous = {row.history_id: row for row in earlier}
    changes = []
    for row in rows:
        item = row.project or row.workstream or programme
        before = previous.get(row.previous_history_id)
        common = {
            "day": row.effective_date,
            "item": item,
            "who": row.history_user,
            "why": row.history_change_reason or "",
            "recorded_at": row.history_date,
            "recorded_by": row.history_user,
        }
        due = row.forecast_date or row.baseline_date
        if before is None or row.history_type == "+":
            changes.append(
                Change(kind="milestone", summary=f"Milestone ‘{row.name}’ added, due {_dates(due)}", **common)
            )
            continue
        if row.status != before.status and row.status == MilestoneStatus.COMPLETE:
            late = (row.actual_date - row.baseline_date).days if row.actual_date and row.baseline_date else 0
            when = f", {late} days after its baseline" if late > 0 else ""
            changes.append(
                Change(
                    kind="milestone-done",
                    summary=f"Milestone ‘{row.name}’ achieved on {_dates(row.actual_date)}{when}",
                    **common,
                )
            )
        elif row.status != before.status:
            changes.append(
                Change(kind="milestone", summary=f"Milestone ‘{row.name}’ {row.get_status_display().lower()}", **common)
            )
        was = before.forecast_date or before.baseline_date
        if due != was and row.status == MilestoneStatus.PLANNED:
            later = was is not None and due is not None and due > was
            changes.append(
                Change(
                    kind="milestone-slip" if later else "milestone",
                    summary=f"Milestone ‘{row.name}’ expected {_dates(was)} → {_dates(due)}",
                    **common,
                )
            )
    return changes


# Each source of changes and the kinds of change it gives.
SOURCES = {
    "status": {"status"},
    "structure": {"new", "closed", "lifecycle", "move", "rename", "slip", "replan", "fields"},
    "review": {"review"},
    "milestone": {"milestone", "milestone-slip", "milestone-done"},
}


def _sources_in_window(programme, since: date, until: date, wanted) -> set[str]:
    """Which of `wanted` sources hold anything in the window: one query of EXISTS tests, so that a source with
    nothing in it (often a programme's reviews or milestones, or every source the day after a meeting) is not
    read at all. Each test stops at its first row, by the index its source is read by."""
    from workstreams.milestones import in_programme

    updates = {"as_of__gt": since, "as_of__lte": until}
    history = {"effective_date__gt": since, "effective_date__lte": until}

    def changed(model, *conditions, **filters):
        return Exists(model.history.model.objects.filter(*conditions, **history, **filters).exclude(history_type="-"))

    tests = {
        "status": lambda: [Exists(StatusUpdate.objects.filter(subject_scope(programme), **updates))],
        "structure": lambda: [
            changed(Workstream, programme_id=programme.pk),
            changed(Project, workstream_id__in=ids_under(programme)[0]),
        ],
        "review": lambda: [Exists(programme.reviews.filter(held_on__gt=since, held_on__lte=until))],
        "milestone": lambda: [changed(Milestone, in_programme(programme))],
    }
    columns = {f"{source}_{n}": test for source in wanted for n, test in enumerate(tests[source]())}
    row = type(programme).objects.filter(pk=programme.pk).values(**columns).first() or {}
    return {name.rsplit("_", 1)[0] for name, present in row.items() if present}


def changes_between(
    programme, since: date, until: date, *, kinds: set[str] | None = None, index: LevelIndex | None = None
) -> list[Change]:
    """Everything that took effect after `since` up to the end of `until`, newest first, or only the `kinds` asked
    for. `index`: the levels, where the caller has read them already. Only the sources holding something in the
    window, and giving a kind asked for, are read."""
    wanted = [source for source, given in SOURCES.items() if not kinds or given & kinds]
    present = _sources_in_window(programme, since, until, wanted) if wanted else set()
    changes = status_changes(programme, since, until, index=index) if "status" in present else []
    if "structure" in present:
        changes += structure_changes(programme, since, until)
    if "review" in present:
        changes += review_changes(programme, since, until)
    if "milestone" in present:
        changes += milestone_changes(programme, since, until)
    if kinds:
        changes = [c for c in changes if c.kind in kinds]
    return sorted(changes, key=lambda c: (c.day, str(c.item)), reverse=True)


def item_changes(item, *, as_of: date | None = None) -> list[Change]:
    """One workstream's or project's own history, newest first: its structure and its status movements."""
    until = as_of or timezone.localdate()
    programme = item.programme if isinstance(item, Workstream) else item.workstream.programme
    found = structure_changes(programme, date.min, until, item=item)
    found += status_changes(programme, date.min, until, subject=item)
    return sorted(found, key=lambda c: (c.day, c.recorded_at.timestamp() if c.recorded_at else 0), reverse=True)
