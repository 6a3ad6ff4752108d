"""The portfolio as it stood on a past date, read from the history tables.

Each item's state on a day is its latest history row up to the end of that day (UK time). Items created later
have no such row, and items deleted by then end in a deletion row; neither appears. Every function here
issues a fixed number of queries.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from workstreams.models import Project, Workstream


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the site's time zone: history before it is history as at `day`."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _rows_as_at(history_model, day: date, **filters):
    cutoff = end_of_day(day)
    latest = (
        history_model.objects.filter(id=OuterRef("id"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history_model.objects.filter(history_date__lt=cutoff, **filters)
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def _instances(rows, person_field):
    """Model instances with the values they had, and their person already attached (no query per row)."""
    items = []
    for row in rows:
        item = row.instance
        setattr(item, person_field, getattr(row, person_field))
        item.latest_update_id = row.latest_update_id
        items.append(item)
    return items


def workstreams_as_at(programme, day: date, *, update_subquery) -> list[Workstream]:
    rows = (
        _rows_as_at(Workstream.history.model, day, programme_id=programme.pk)
        .select_related("lead")
        .annotate(latest_update_id=update_subquery("workstream", day, outer="id"))
        .order_by("order", "name")
    )
    return _instances(rows, "lead")


def projects_as_at(programme, day: date, *, update_subquery, workstream_ids) -> list[Project]:
    rows = (
        _rows_as_at(Project.history.model, day, workstream_id__in=workstream_ids)
        .select_related("manager")
        .annotate(latest_update_id=update_subquery("project", day, outer="id"))
        .order_by("name")
    )
    return _instances(rows, "manager")


def previous_row_id(history_model) -> Subquery:
    """For each history row, the id of the row before it for the same object."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    return Subquery(
        history_model.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def item_as_at(model, pk, day: date, *, person_field):
    """One workstream or project as it stood on `day`, or None if it did not exist then."""
    row = _rows_as_at(model.history.model, day, id=pk).select_related(person_field).first()
    if row is None:
        return None
    item = row.instance
    setattr(item, person_field, getattr(row, person_field))
    return item


def projects_in_workstream_as_at(workstream_pk, day: date, *, update_subquery) -> list[Project]:
    rows = (
        _rows_as_at(Project.history.model, day, workstream_id=workstream_pk)
        .select_related("manager")
        .annotate(latest_update_id=update_subquery("project", day, outer="id"))
        .order_by("name")
    )
    return _instances(rows, "manager")
