"""Custom fields: what an organisation's tracker keeps besides status (a lead body, a major-project reference,
a tier, a whole-life cost, a third-party score), defined by an administrator per kind of record without code.

The one home for them. A record keeps its values in its own `custom` column, a JSON object keyed by each field's
code, so they are governed exactly like its other fields: saved through `save_governed` with who, when, why and
from when; in its history (and so "as at" any date); under the no-lost-updates guard. Values are stored in a
form that sorts and compares in SQL on SQLite and PostgreSQL alike:

    text, long text, choice, link   the text
    whole number                    a JSON integer
    decimal, money (GBP)            the number as text, money to the penny ("1250000.00")
    date                            ISO text ("2026-03-31")
    person                          the user's id

Everything else here reads them: checking a record's values (`check_values`, called from each model's `clean`,
so every service, import and the admin hold to it), the form fields (`CustomFieldsMixin` in `changeprog.forms`),
display (`rows_for`), strict parsing of a spreadsheet cell (`parse_cell`), and SQL annotations to filter and sort
lists (`annotate`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import django_tables2 as tables
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from changeprog.effective import day_text
from changeprog.models import CustomField, CustomFieldType

T = CustomFieldType
NUMERIC = (T.WHOLE, T.DECIMAL, T.MONEY)
MAX_TEXT = 2_000
MAX_DIGITS = 18  # before the point: a whole-life cost in pence still fits


def fields_for(record: str, *, active_only: bool = True) -> list[CustomField]:
    """The fields defined for a kind of record, in order (one query)."""
    queryset = CustomField.objects.filter(record=record)
    if active_only:
        queryset = queryset.filter(active=True)
    return list(queryset.order_by("order", "label"))


def column_name(field: CustomField) -> str:
    """The name of the annotation, filter and table column for a field."""
    return f"cf_{field.code.replace('-', '_')}"


# Converting ---------------------------------------------------------------------------------------------------


def to_stored(field: CustomField, value):
    """A Python value (from a form or a parsed cell) as it is kept in `custom`; None for empty."""
    if value is None or value == "":
        return None
    if field.type == T.WHOLE:
        return int(value)
    if field.type in (T.DECIMAL, T.MONEY):
        number = Decimal(value)
        return str(number.quantize(Decimal("0.01")) if field.type == T.MONEY else number.normalize())
    if field.type == T.DATE:
        return value.isoformat()
    if field.type == T.USER:
        return value.pk if hasattr(value, "pk") else int(value)
    return str(value)


def to_python(field: CustomField, raw):
    """A stored value as Python (int, Decimal, date, user id or text); None if empty or unreadable."""
    if raw is None or raw == "":
        return None
    try:
        if field.type == T.WHOLE:
            return int(raw)
        if field.type in (T.DECIMAL, T.MONEY):
            return Decimal(str(raw))
        if field.type == T.DATE:
            return date.fromisoformat(str(raw))
        if field.type == T.USER:
            return int(raw)
    except (ValueError, InvalidOperation, TypeError):
        return None
    return str(raw)


def display(field: CustomField, raw, people: dict[int, str] | None = None) -> str:
    """How a value reads on a page, in a report or in an export cell that is text."""
    value = to_python(field, raw)
    if value is None:
        return ""
    if field.type == T.MONEY:
        return f"£{value:,.2f}"
    if field.type == T.DECIMAL:
        return f"{value:,}"
    if field.type == T.WHOLE:
        return f"{value:,}"
    if field.type == T.DATE:
        return day_text(value)
    if field.type == T.USER:
        return (people or {}).get(value, f"person {value}")
    return value


def cell_value(field: CustomField, raw, people: dict[int, str] | None = None):
    """A value for a spreadsheet cell: numbers and dates as themselves, so Excel can sum and sort them."""
    value = to_python(field, raw)
    if field.type == T.USER:
        return display(field, raw, people) or None
    return value


def people_named(custom_dicts, fields) -> dict[int, str]:
    """{user id: name} for every person named in person fields across many records (one query, or none)."""
    codes = [f.code for f in fields if f.type == T.USER]
    ids = {d.get(code) for d in custom_dicts for code in codes if d and isinstance(d.get(code), int)}
    if not ids:
        return {}
    from changeprog.people import person_name

    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: person_name(user) for user in users}


@dataclass(frozen=True)
class Shown:
    field: CustomField
    text: str
    href: str = ""


def rows_for(record: str, item, fields=None) -> list[Shown]:
    """The label and value of each active field for one record, for its page (one or two queries)."""
    fields = fields_for(record) if fields is None else fields
    values = getattr(item, "custom", None) or {}
    people = people_named([values], fields)
    shown = []
    for field in fields:
        text = display(field, values.get(field.code), people)
        shown.append(Shown(field, text, values.get(field.code) if field.type == T.LINK and text else ""))
    return shown


# Checking -----------------------------------------------------------------------------------------------------

_link = URLValidator(schemes=["http", "https"])


def _check_one(field: CustomField, raw) -> str | None:
    """Why a stored value is not valid for its field, or None."""
    if field.type == T.WHOLE:
        if isinstance(raw, bool) or not isinstance(raw, int):
            return "must be a whole number"
        return None
    if field.type in (T.DECIMAL, T.MONEY):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return "must be a number"
        if not number.is_finite() or abs(number) >= Decimal(10) ** MAX_DIGITS:
            return "is not a number ChangeProg can keep"
        if field.type == T.MONEY and number != number.quantize(Decimal("0.01")):
            return "must be in pounds and pence"
        return None
    if field.type == T.DATE:
        try:
            date.fromisoformat(str(raw))
        except ValueError:
            return "must be a date"
        return None
    if field.type == T.USER:
        if isinstance(raw, bool) or not isinstance(raw, int):
            return "must name a person"
        return None
    if not isinstance(raw, str):
        return "must be text"
    if len(raw) > MAX_TEXT:
        return f"is longer than {MAX_TEXT:,} characters"
    if field.type == T.CHOICE and raw not in field.options:
        return f"must be one of {', '.join(field.options)}"
    if field.type == T.LINK:
        try:
            _link(raw)
        except ValidationError:
            return "must be a web address starting http:// or https://"
    if field.type == T.TEXT and "\n" in raw:
        return "must be one line"
    return None


def check_values(record: str, values) -> None:
    """Refuse a record's `custom` values that do not fit their fields: an unknown key, a wrong type, a choice
    not on the list, a person who does not exist. Each model's `clean` calls this, so every way in holds to it."""
    if values in (None, ""):
        return
    if not isinstance(values, dict):
        raise ValidationError({"custom": "Custom values must be a set of named values."})
    if not values:
        return
    fields = {f.code: f for f in fields_for(record, active_only=False)}
    problems = []
    for code, raw in values.items():
        field = fields.get(code)
        if field is None:
            problems.append(f"There is no field “{code}” for a {record}.")
        elif raw is not None and (why := _check_one(field, raw)):
            problems.append(f"{field.label} {why}.")
    people = [raw for code, raw in values.items() if code in fields and fields[code].type == T.USER and raw]
    if people and not problems:
        found = set(get_user_model().objects.filter(pk__in=people).values_list("pk", flat=True))
        problems += [
            f"{fields[code].label} names a person who does not exist."
            for code, raw in values.items()
            if code in fields and fields[code].type == T.USER and raw and raw not in found
        ]
    if problems:
        raise ValidationError({"custom": problems})


def missing_required(fields, values) -> list[CustomField]:
    values = values or {}
    return [f for f in fields if f.active and f.required and values.get(f.code) in (None, "")]


# Forms ----------------------------------------------------------------------------------------------------------


def form_field(field: CustomField) -> forms.Field:
    common = {"label": field.label, "required": field.required, "help_text": field.help_text}
    if field.type == T.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT, **common)
    if field.type == T.WHOLE:
        return forms.IntegerField(max_value=10**MAX_DIGITS - 1, min_value=-(10**MAX_DIGITS) + 1, **common)
    if field.type == T.DECIMAL:
        return forms.DecimalField(max_digits=MAX_DIGITS + 6, decimal_places=6, **common)
    if field.type == T.MONEY:
        return forms.DecimalField(
            max_digits=MAX_DIGITS + 2, decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"}), **common
        )
    if field.type == T.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if field.type == T.CHOICE:
        return forms.ChoiceField(choices=[("", "—")] + [(o, o) for o in field.options], **common)
    if field.type == T.USER:
        from changeprog.people import PersonField

        # A searchable picker, as every other choice of a person (`changeprog.people`): no form lists every account.
        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        return PersonField(queryset=users, **common)
    if field.type == T.LINK:
        return forms.URLField(max_length=MAX_TEXT, assume_scheme="https", **common)
    return forms.CharField(max_length=MAX_TEXT, **common)


def initial_value(field: CustomField, raw):
    value = to_python(field, raw)
    return value


# Spreadsheets ------------------------------------------------------------------------------------------------

_WHOLE = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_cell(field: CustomField, cell, people_by_name: dict[str, int]):
    """(stored value, problem) for one spreadsheet cell. Nothing is coerced: "12 approx" is not a number, 3.5 is
    not a whole number, "High-ish" is not one of the choices, an unknown user name is not a person."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, None
    if field.type == T.DATE:
        if isinstance(cell, datetime):
            return cell.date().isoformat(), None
        if isinstance(cell, date):
            return cell.isoformat(), None
        text = str(cell).strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).date().isoformat(), None
            except ValueError:
                continue
        return None, f"“{text[:40]}” is not a date; use a date cell or DD/MM/YYYY."
    if field.type in NUMERIC:
        if isinstance(cell, bool):
            return None, f"“{cell}” is not a number."
        if isinstance(cell, int):
            text = str(cell)
        elif isinstance(cell, float):
            text = repr(cell) if not cell.is_integer() else str(int(cell))
        else:
            text = str(cell).strip().replace(",", "")
            if field.type == T.MONEY:
                text = text.removeprefix("£")
        if field.type == T.WHOLE:
            if not _WHOLE.match(text):
                return None, f"“{str(cell)[:40]}” is not a whole number."
            value = int(text)
        else:
            if not _NUMBER.match(text):
                return None, f"“{str(cell)[:40]}” is not a number."
            value = Decimal(text)
            if field.type == T.MONEY and value != value.quantize(Decimal("0.01")):
                return None, f"“{str(cell)[:40]}” has fractions of a penny."
        stored = to_stored(field, value)
        why = _check_one(field, stored)
        return (None, f"“{str(cell)[:40]}” {why}.") if why else (stored, None)
    text = str(cell).strip() if not isinstance(cell, float) or not cell.is_integer() else str(int(cell))
    if field.type == T.USER:
        if text.lower() not in people_by_name:
            return None, f"“{text[:40]}” is not a ChangeProg user name."
        return people_by_name[text.lower()], None
    why = _check_one(field, text)
    if why:
        return None, f"{field.label} {why}."
    return text, None


# Lists --------------------------------------------------------------------------------------------------------


def sql_value(field: CustomField, prefix: str = ""):
    """An expression for a field's value that compares and sorts as its type (numbers as numbers)."""
    text = KeyTextTransform(field.code, f"{prefix}custom")
    if field.type in NUMERIC:
        return Cast(text, models.DecimalField(max_digits=MAX_DIGITS + 6, decimal_places=6))
    # As plain text, so that lookups compare text (on SQLite a JSON key's own lookups parse the value as JSON).
    return Cast(text, models.TextField())


def annotate(queryset, fields, prefix: str = ""):
    """Each field's value as an annotation named by `column_name`, for filtering and sorting a list."""
    return queryset.annotate(**{column_name(f): sql_value(f, prefix) for f in fields})


@dataclass
class Table:
    """The fields of a kind of record and a way to read each record's cells, for a list or a report table: two
    queries at most (the fields; the people named) whatever the number of rows."""

    fields: list
    people: dict

    def cells(self, item) -> list[Shown]:
        values = getattr(item, "custom", None) or {}
        return [
            Shown(
                f,
                text := display(f, values.get(f.code), self.people),
                values.get(f.code) if f.type == T.LINK and text else "",
            )
            for f in self.fields
        ]


def table(record: str, items, *, fields=None) -> Table:
    fields = fields_for(record) if fields is None else fields
    return Table(fields, people_named([getattr(i, "custom", None) or {} for i in items], fields) if fields else {})


# Filters --------------------------------------------------------------------------------------------------------


def filters_for(field: CustomField) -> dict:
    """django-filter filters for one field, on the annotation `annotate` adds: a choice by its values, text by
    what it contains, numbers and dates by a range, a person by who."""
    import django_filters

    name = column_name(field)
    if field.type == T.CHOICE:
        return {
            name: django_filters.ChoiceFilter(
                field_name=name, label=field.label, choices=[(o, o) for o in field.options], empty_label="Any"
            )
        }
    if field.type in NUMERIC:
        return {
            f"{name}_min": django_filters.NumberFilter(field_name=name, lookup_expr="gte", label=f"{field.label} from"),
            f"{name}_max": django_filters.NumberFilter(field_name=name, lookup_expr="lte", label=f"{field.label} to"),
        }
    if field.type == T.DATE:
        return {
            f"{name}_from": django_filters.DateFilter(
                field_name=name, lookup_expr="gte", label=f"{field.label} from", widget=_date_input()
            ),
            f"{name}_to": django_filters.DateFilter(
                field_name=name, lookup_expr="lte", label=f"{field.label} to", widget=_date_input()
            ),
        }
    if field.type == T.USER:
        from changeprog.people import PersonField

        class PersonValueFilter(django_filters.ModelChoiceFilter):
            field_class = PersonField

            def filter(self, queryset, value):
                return queryset.filter(**{f"custom__{field.code}": value.pk}) if value else queryset

        users = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        return {name: PersonValueFilter(label=field.label, queryset=users, empty_label="Anyone")}
    return {name: django_filters.CharFilter(field_name=name, lookup_expr="icontains", label=field.label)}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomFilterSet:
    """A FilterSet mixin: `custom=` the kind's fields adds a filter (or a range) for each. The queryset must be
    annotated with `annotate` for the same fields."""

    def __init__(self, *args, custom=(), **kwargs):
        super().__init__(*args, **kwargs)
        for field in custom:
            self.filters.update(filters_for(field))


# Tables ---------------------------------------------------------------------------------------------------------


class CustomColumn(tables.Column):
    """One of the organisation's own fields: sorted by its value in SQL (numbers as numbers), shown as the
    field's type reads (money in pounds, dates in UK form, people by name)."""

    def __init__(self, field, people, **kwargs):
        self.field, self.people = field, people
        name = column_name(field)
        orderable = field.type != T.USER
        super().__init__(verbose_name=field.label, accessor=name, order_by=(name,), orderable=orderable, **kwargs)

    def render(self, value, record):
        return display(self.field, (record.custom or {}).get(self.field.code), self.people)


def custom_columns(fields, people) -> list[tuple[str, tables.Column]]:
    return [(column_name(f), CustomColumn(f, people, empty_values=())) for f in fields]


def export_columns(fields, rows) -> tuple[list[str], callable]:
    """(headers, cells of one row) to add a list's own fields to its Excel export: numbers and dates as
    themselves, people by name (one query for the whole export)."""
    rows = list(rows)
    people = people_named([getattr(r, "custom", None) or {} for r in rows], fields)
    return [f.label for f in fields], lambda row: [
        cell_value(f, (getattr(row, "custom", None) or {}).get(f.code), people) for f in fields
    ]
