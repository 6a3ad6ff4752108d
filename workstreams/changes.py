"""What changed in a programme between two dates: status movements, lifecycle changes, moves, slips, new and
closed items, and reviews, each with who and why. A fixed number of queries, whatever the window holds."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from workstreams.history import end_of_day, previous_row_id
from workstreams.models import (
    Lifecycle,
    Project,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusUpdate,
    Workstream,
)
from workstreams.selectors import UPDATE_ORDER

KINDS = {
    "status": "Status",
    "new": "New",
    "closed": "Closed",
    "lifecycle": "Lifecycle",
    "move": "Moved",
    "slip": "Slipped",
    "replan": "Re-planned",
    "review": "Programme review",
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
    direction: str = ""  # "worse", "better" or "" (first rating, or not a status change)

    @property
    def kind_label(self):
        return KINDS[self.kind]


def _previous_update() -> Coalesce:
    earlier = (
        Q(as_of__lt=OuterRef("as_of"))
        | Q(as_of=OuterRef("as_of"), created_at__lt=OuterRef("created_at"))
        | Q(as_of=OuterRef("as_of"), created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )

    def same_subject(field):
        # For an update of another kind of subject the outer value is NULL, which matches nothing.
        return Subquery(
            StatusUpdate.objects.filter(earlier, **{field: OuterRef(field)}).order_by(*UPDATE_ORDER).values("pk")[:1]
        )

    return Coalesce(same_subject("programme"), same_subject("workstream"), same_subject("project"))


def status_changes(programme, since: date, until: date) -> list[Change]:
    window = (
        StatusUpdate.objects.filter(
            Q(programme=programme) | Q(workstream__programme=programme) | Q(project__workstream__programme=programme),
            as_of__gt=since,
            as_of__lte=until,
        )
        .annotate(previous_id=_previous_update())
        .values_list("pk", "previous_id")
    )
    pairs = list(window)
    # Ratings are read as plain values (a window can hold thousands), levels and dimensions once each, and
    # only the updates in the window as objects: the cost stays in the database, not in building models.
    ratings: dict[int, list] = defaultdict(list)
    for update_id, dimension_id, level_id, reason in StatusRating.objects.filter(
        update_id__in=[pk for pair in pairs for pk in pair if pk]
    ).values_list("update_id", "dimension_id", "level_id", "reason"):
        ratings[update_id].append((dimension_id, level_id, reason))
    levels = StatusLevel.objects.in_bulk()
    dimensions = StatusDimension.objects.in_bulk(
        {dimension_id for rows in ratings.values() for dimension_id, _, _ in rows}
    )
    updates = StatusUpdate.objects.select_related("author", "programme", "workstream", "project").in_bulk(
        [pk for pk, _ in pairs]
    )
    changes = []
    for pk, previous_id in pairs:
        update = updates[pk]
        before = {dimension_id: level_id for dimension_id, level_id, _ in ratings.get(previous_id, [])}
        rows = sorted(ratings.get(pk, []), key=lambda row: (dimensions[row[0]].order, dimensions[row[0]].name))
        for dimension_id, level_id, reason in rows:
            old_id = before.get(dimension_id)
            if old_id == level_id:
                continue
            level, old = levels[level_id], levels.get(old_id)
            direction = ""
            if old:
                direction = "worse" if level.severity > old.severity else "better"
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
                    direction=direction,
                )
            )
    return changes


def _history_window(model, since: date, until: date, **filters):
    history = model.history.model
    return list(
        history.objects.filter(history_date__gte=end_of_day(since), history_date__lt=end_of_day(until), **filters)
        .exclude(history_type="-")
        .annotate(previous_history_id=previous_row_id(history))
        .select_related("history_user")
    )


def structure_changes(programme, since: date, until: date) -> list[Change]:
    workstream_rows = _history_window(Workstream, since, until, programme_id=programme.pk)
    project_rows = _history_window(Project, since, until, workstream__programme=programme)
    names = dict(Workstream.objects.filter(programme=programme).values_list("pk", "name"))
    changes = []
    for model, rows in ((Workstream, workstream_rows), (Project, project_rows)):
        earlier = model.history.model.objects.filter(history_id__in=[r.previous_history_id for r in rows])
        previous = {row.history_id: row for row in earlier}
        for row in rows:
            changes.extend(_row_changes(row, previous.get(row.previous_history_id), names))
    return changes


def _row_changes(row, before, names) -> list[Change]:
    item = row.instance
    common = {
        "day": timezone.localdate(row.history_date),
        "item": item,
        "who": row.history_user,
        "why": row.history_change_reason or "",
    }
    if row.history_type == "+" or before is None:
        where = f" in {names.get(row.workstream_id, 'another workstream')}" if isinstance(item, Project) else ""
        return [Change(kind="new", summary=f"Added{where}, {row.get_lifecycle_display().lower()}", **common)]
    found = []
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
        old = f"{before.forecast_end_date:%d/%m/%Y}" if before.forecast_end_date else "none"
        found.append(
            Change(
                kind="slip" if later else "replan",
                summary=f"Forecast end {old} → {row.forecast_end_date:%d/%m/%Y}",
                **common,
            )
        )
    return found


def review_changes(programme, since: date, until: date) -> list[Change]:
    return [
        Change(day=r.held_on, kind="review", item=programme, summary=r.summary, who=r.performed_by, why=r.reason)
        for r in programme.reviews.filter(held_on__gt=since, held_on__lte=until).select_related("performed_by")
    ]


def changes_between(programme, since: date, until: date, *, kinds: set[str] | None = None) -> list[Change]:
    """Everything that changed after `since` up to the end of `until`, newest first."""
    changes = status_changes(programme, since, until) + structure_changes(programme, since, until)
    changes += review_changes(programme, since, until)
    if kinds:
        changes = [c for c in changes if c.kind in kinds]
    return sorted(changes, key=lambda c: (c.day, str(c.item)), reverse=True)
