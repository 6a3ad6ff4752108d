"""Effective time and recorded time for every governed fact.

A history row records *when* something was entered and by whom (`history_date`, `history_user`); its
`effective_date` says from which day the fact was true. They differ when the office back-dates a change or a
tracker import brings years of history in one afternoon. "As at" a day reads effective dates; "as recorded on" a
day reads only what had been entered by then. Both orders are defined here once.

A governed model takes the column with `HistoricalRecords(bases=[EffectiveDated])`. A model whose own field
*is* its effective date (a status update's `as_of`, a review's `held_on`) names it in `effective_date_source`;
otherwise the date comes from the service that saved it (`save_governed(..., effective=…)`), or is the day the
row was recorded.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from changeprog import instances

# The order in which one object's history rows follow each other "as at" a day: by the day each took effect,
# then by when it was recorded. Effective dates never run backwards for one object (see `check_not_before`),
# so this is also the order in which the rows were recorded.
AS_AT_ORDER = ("-effective_date", "-history_date", "-history_id")


class EffectiveDated(models.Model):
    """The column every governed history row carries beside simple-history's own."""

    effective_date = models.DateField(
        db_index=True, help_text="The day from which this was true (history_date is when it was recorded)."
    )

    class Meta:
        abstract = True

    @property
    def recorded_later(self) -> bool:
        return timezone.localdate(self.history_date) > self.effective_date


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in the site's time zone: anything recorded before it was known on `day`."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass(frozen=True)
class Moment:
    """A point on both time lines: the day shown "as at", and optionally the day whose record is read ("as
    recorded on"; None: everything recorded up to now)."""

    day: date
    recorded_on: date | None = None

    @property
    def recorded_before(self):
        return end_of_day(self.recorded_on) if self.recorded_on else None


def _known(moment: Moment, **filters) -> dict:
    filters["effective_date__lte"] = moment.day
    if moment.recorded_on:
        filters["history_date__lt"] = moment.recorded_before
    return filters


def rows_as_at(history_model, moment: Moment, **filters):
    """The history row in force at `moment` for every object matching `filters`: the one query every "as at"
    and "as recorded on" read in every app is built on. Objects not yet on record, or deleted by then, are
    absent."""
    latest = (
        history_model.objects.filter(id=OuterRef("id"), **_known(moment))
        .order_by(*AS_AT_ORDER)
        .values("history_id")[:1]
    )
    return (
        history_model.objects.filter(**_known(moment, **filters))
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def instance_of(row):
    """The object a history row records, with the values it had then: what simple-history's `row.instance` gives
    (the row itself kept as `history_row`), made the way the ORM makes a loaded row, without running the model's
    `__init__` on every field, since an "as at" page makes hundreds of them."""
    model = row.instance_type
    item = instances.maker(model, row._state.db)([getattr(row, name) for name in instances.attnames(model)])
    item.history_row = row
    return item


def items_from_rows(rows, *, person: str | None = None, extra: tuple[str, ...] = ()) -> list:
    """The objects `rows` reads, made from plain values without making each row (and its person) as an object
    first: for a query of history rows, the objects they record with the values they had (what `instance_of`
    gives for each row); for a query of live records, the records as `from_db` makes them.

    `person`: a person field (a workstream's lead) read in the same query and attached, each person made once
    however many rows name them, so that showing it costs no query per item; `extra`: annotations on `rows`, kept
    as attributes of the same name."""
    model = getattr(rows.model, "instance_type", rows.model)  # a history model names the model it records
    names = instances.attnames(model)
    columns = [*names, *extra]
    make = instances.maker(model, rows.db)
    if person:
        field = model._meta.get_field(person)
        person_names = instances.attnames(field.related_model)
        columns += [f"{person}__{name}" for name in person_names]
        make_person = instances.maker(field.related_model, rows.db)
        key_at = len(names) + len(extra) + person_names.index(field.related_model._meta.pk.attname)
        people: dict = {}
    ours, theirs = len(names), len(names) + len(extra)
    items = []
    for values in rows.values_list(*columns):
        item = make(values[:ours])
        for name, value in zip(extra, values[ours:theirs], strict=True):
            setattr(item, name, value)
        if person:
            pk = values[key_at]
            if pk is not None and pk not in people:
                people[pk] = make_person(values[theirs:])
            setattr(item, person, people.get(pk) if getattr(item, field.attname) is not None else None)
        items.append(item)
    return items


def effective_date_of(instance, history_date: datetime) -> date:
    """The effective date a new history row of `instance` gets."""
    explicit = getattr(instance, "_history_effective_date", None)
    if explicit is not None:
        return explicit
    source = getattr(type(instance), "effective_date_source", None)
    if source:
        value = attrgetter(source)(instance)
        if value is not None:
            return value
    return timezone.localdate(history_date)


def stamp_effective_date(sender, instance, history_instance, history_date, **kwargs):
    """simple-history's documented hook for extra history columns (`pre_create_historical_record`)."""
    if isinstance(history_instance, EffectiveDated):
        history_instance.effective_date = effective_date_of(instance, history_date)


def latest_effective(instance) -> tuple[date, object] | None:
    """(effective date, history row) of the object's latest fact, or None for an unsaved object."""
    if instance.pk is None:
        return None
    row = type(instance).history.filter(id=instance.pk).order_by(*AS_AT_ORDER).select_related("history_user").first()
    return (row.effective_date, row) if row else None


def existed_from(instance) -> date | None:
    """The first day the object was part of the record (the effective date of its earliest history row)."""
    if instance.pk is None:
        return None
    rows = type(instance).history.filter(id=instance.pk)
    return rows.aggregate(first=models.Min("effective_date"))["first"]


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """A day as every page and paper shows it, "4 Mar 2026": what `|date:"j M Y"` gives, in a tenth of its time
    (Django's formatter reads its format string afresh on every call, which shows in a list of a few hundred)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(at: datetime) -> str:
    """A moment as every page, message and history list shows it, "4 Mar 2026, 09:05" in UK time: what
    `|date:"j M Y, H:i"` gives of the local time."""
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{day_text(local)}, {local:%H:%M}"


def check_effective(instance, effective: date, *, field: str = "effective_date"):
    """Refuse an effective date in the future, or before the object's latest fact.

    One object's facts take effect in the order they are recorded, so that its state on any day is one
    consistent history row. A change can be back-dated to the day of the latest fact, not before it.
    """
    if effective > timezone.localdate():
        raise ValidationError({field: "A change cannot take effect in the future."})
    found = latest_effective(instance)
    if found and effective < found[0]:
        latest_day, row = found
        who = row.history_user.get_full_name() or row.history_user.get_username() if row.history_user else "someone"
        raise ValidationError(
            {
                field: f"{instance} has a change in effect from {day_text(latest_day)} (recorded by {who} on "
                f"{day_text(timezone.localdate(row.history_date))}); a change cannot take effect before it. "
                f"Give {day_text(latest_day)} or later."
            }
        )


def check_not_before(parent, day: date, *, what: str, field: str = "effective_date"):
    """Nothing may be effective before the item it belongs to existed."""
    first = existed_from(parent)
    if first and day < first:
        raise ValidationError(
            {field: f"{parent} is on record from {day_text(first)}; {what} cannot take effect before then."}
        )


def first_effective_dates(model, ids) -> dict[int, date]:
    """{id: first effective date} for many objects of one model, in one query."""
    rows = model.history.filter(id__in=list(ids)).values("id").annotate(first=models.Min("effective_date"))
    return {row["id"]: row["first"] for row in rows}
