"""The portfolio as it stood on a past date, read from the history tables.

"As at" a day: each item's state is its history row with the latest effective date on or before that day (see
`changeprog.effective`). "As recorded on" a day narrows that to the rows entered by the end of that day: the
programme as ChangeProg held it then, so a committee can compare what it was told with what is known now.
Items not yet on record have no such row, and items deleted by then end in a deletion row; neither appears.
Every function here issues a fixed number of queries.
"""

import functools
from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery

from changeprog.effective import AS_AT_ORDER, Moment, instance_of, items_from_rows, rows_as_at
from workstreams.models import Project, StatusDimension, StatusRating, StatusUpdate, Workstream


def _instances(rows, person_field):
    """Model instances with the values they had, their latest update's id, and their person already attached."""
    return items_from_rows(rows, person=person_field, extra=("latest_update_id",))


def workstreams_as_at(programme, moment: Moment, *, update_subquery) -> list[Workstream]:
    rows = (
        rows_as_at(Workstream.history.model, moment, programme_id=programme.pk)
        .annotate(latest_update_id=update_subquery("workstream", moment, outer="id"))
        .order_by("order", "name")
    )
    return _instances(rows, "lead")


def projects_as_at(programme, moment: Moment, *, update_subquery, workstream_ids) -> list[Project]:
    rows = (
        rows_as_at(Project.history.model, moment, workstream_id__in=workstream_ids)
        .annotate(latest_update_id=update_subquery("project", moment, outer="id"))
        .order_by("name")
    )
    return _instances(rows, "manager")


def projects_in_workstream_as_at(workstream_pk, moment: Moment, *, update_subquery) -> list[Project]:
    rows = (
        rows_as_at(Project.history.model, moment, workstream_id=workstream_pk)
        .annotate(latest_update_id=update_subquery("project", moment, outer="id"))
        .order_by("name")
    )
    return _instances(rows, "manager")


def previous_row_id(history_model) -> Subquery:
    """For each history row, the id of the row in force before it for the same object."""
    earlier = (
        Q(effective_date__lt=OuterRef("effective_date"))
        | Q(effective_date=OuterRef("effective_date"), history_date__lt=OuterRef("history_date"))
        | Q(
            effective_date=OuterRef("effective_date"),
            history_date=OuterRef("history_date"),
            history_id__lt=OuterRef("history_id"),
        )
    )
    return Subquery(
        history_model.objects.filter(earlier, id=OuterRef("id")).order_by(*AS_AT_ORDER).values("history_id")[:1]
    )


def item_as_at(model, pk, moment: Moment, *, person_field):
    """One workstream or project as it stood at `moment`, or None if it was not on record then."""
    row = rows_as_at(model.history.model, moment, id=pk).select_related(person_field).first()
    if row is None:
        return None
    item = instance_of(row)
    setattr(item, person_field, getattr(row, person_field))
    return item


def dimensions_as_at(programme, day: date | None) -> list[StatusDimension]:
    """The programme's dimensions with the scale, order and reach each had on `day` (None: today).

    A dimension added later still shows for earlier days, with the settings it started with, so that ratings
    imported for dates before it was set up keep their place. One query.
    """
    if day is None:
        return list(StatusDimension.objects.filter(programme=programme).select_related("scale"))
    rows = list(
        StatusDimension.history.filter(programme_id=programme.pk)
        .select_related("scale")
        .order_by("id", "effective_date", "history_date", "history_id")
    )
    chosen: dict[int, object] = {}
    for row in rows:
        if row.id not in chosen or row.effective_date <= day:
            chosen[row.id] = row
    dimensions = []
    for row in chosen.values():
        if row.history_type == "-":
            continue
        dimension = instance_of(row)
        dimension.scale = row.scale
        dimensions.append(dimension)
    return sorted(dimensions, key=lambda d: (d.order, d.name))


# --- Status as recorded on a day -------------------------------------------------------------------------------


def recorded_update_id(subject_field: str, moment: Moment, *, outer: str = "pk") -> Subquery:
    """The id of the outer item's latest update as at `moment.day`, as the record stood on `moment.recorded_on`:
    only updates entered by then, with the as-of dates they had then."""
    history = StatusUpdate.history.model
    version = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=moment.recorded_before)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return Subquery(
        history.objects.filter(
            **{subject_field: OuterRef(outer)}, history_date__lt=moment.recorded_before, as_of__lte=moment.day
        )
        .filter(history_id=Subquery(version))
        .exclude(history_type="-")
        .order_by("-as_of", "-created_at", "-id")
        .values("id")[:1]
    )


def recorded_updates(ids, moment: Moment) -> dict[int, StatusUpdate]:
    """The updates `ids` with their words and ratings as they were recorded by the end of `moment.recorded_on`
    (a later correction does not show). Three queries."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    cutoff = moment.recorded_before
    update_rows = StatusUpdate.history.model.objects.filter(id__in=ids, history_date__lt=cutoff)
    latest_update = update_rows.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    updates = {}
    for row in update_rows.filter(history_id=Subquery(latest_update.values("history_id")[:1])).select_related("author"):
        updates[row.id] = update = instance_of(row)
        update.author = row.author  # read with the row: no query per update for who recorded it
    rating_rows = StatusRating.history.model.objects.filter(update_id__in=ids, history_date__lt=cutoff)
    latest_rating = rating_rows.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    ratings = list(
        rating_rows.filter(history_id=Subquery(latest_rating.values("history_id")[:1]))
        .exclude(history_type="-")
        .select_related("level", "dimension")
    )
    by_update: dict[int, list] = {pk: [] for pk in updates}
    for row in ratings:
        if row.update_id in by_update:
            rating = instance_of(row)
            rating.level, rating.dimension, rating.update = row.level, row.dimension, updates[row.update_id]
            by_update[row.update_id].append(rating)
    for pk, update in updates.items():
        ordered = sorted(by_update[pk], key=lambda r: (r.dimension.order, r.dimension.name))
        attach_ratings(update, ordered, as_recorded=True)
    return updates


@functools.cache
def _no_ratings_query():
    return StatusRating.objects.none().query


class _ReadRatings(QuerySet):
    """An update's ratings as already read: iterating, counting, indexing and `first()` answer from them, as a
    prefetch's queryset does; anything that builds a new query (filter, get, order_by, values …) asks the
    database for that update's ratings. Its own query is one shared empty query, never run nor changed: building
    a query per update cost more than reading the ratings."""

    _update_pk = None
    _as_recorded = False

    def _chain(self):
        if self._as_recorded:
            # The live table holds today's ratings, not these: a query would silently answer with the wrong ones.
            raise TypeError(
                "These ratings are as they were recorded at a past moment; read them as a list (iterate, count), "
                "not through a new query."
            )
        return StatusRating.objects.filter(update_id=self._update_pk)


def attach_ratings(update: StatusUpdate, ratings: list[StatusRating], *, as_recorded: bool = False):
    """Make `update.ratings.all()` return `ratings` without a query, as a prefetch would. Ratings `as_recorded`
    (read from the history tables) cannot be queried further: the database holds only today's."""
    queryset = _ReadRatings(model=StatusRating, query=_no_ratings_query())
    queryset._update_pk = update.pk
    queryset._as_recorded = as_recorded
    queryset._result_cache = ratings
    queryset._prefetch_done = True
    update._prefetched_objects_cache = {"ratings": queryset}


def ratings_of(update: StatusUpdate):
    """`update.ratings.all()`, answered from the ratings read with the update (`attach_ratings`, or a prefetch)
    without making a related manager each time: a board asks this of every item two or three times."""
    found = getattr(update, "_prefetched_objects_cache", {}).get("ratings")
    return found if found is not None else update.ratings.all()
