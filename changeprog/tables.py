"""What every list's table shares (django-tables2): the base `Table` and the date column.

Three costs of django-tables2 grow with every cell, so they are paid here once instead:
- it reads a render method's parameters with `inspect.signature` for every cell it renders (a third of a list
  page's time); `Table` reads them once per method per process;
- its template works out each cell's attributes afresh, in a template loop per cell; `Table.body` writes the rows
  in Python with each column's attributes worked out once (`templates/tables/table.html` uses it);
- its DateColumn compiles a template for every cell; `DayColumn` formats in Python."""

from datetime import date

import django_tables2 as tables
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import signature

from changeprog.effective import day_text

_PARAMETERS: dict = {}


def parameters(function) -> tuple[tuple[str, ...], str | None]:
    """django-tables2's `signature(function)`, read once for each function (for a bound method, its function)."""
    key = getattr(function, "__func__", function)
    try:
        return _PARAMETERS[key]
    except KeyError:
        return _PARAMETERS.setdefault(key, signature(function))


def call_with_known(function, kwargs: dict):
    """django-tables2's `call_with_appropriate`: call `function` with the arguments it names from `kwargs` (all
    of them if it takes **kwargs), or return None if it names one that is not there."""
    names, catch_all = parameters(function)
    if catch_all:
        return function(**kwargs)
    if any(name not in kwargs for name in names):
        return None
    return function(**{name: kwargs[name] for name in names})


class Row(BoundRow):
    def _call_render(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        content = call_with_known(bound_column.render, arguments)
        return bound_column.link(content, **arguments) if bound_column.link else content


class Rows(BoundRows):
    def __iter__(self):
        if any(self.pinned_data.values()):  # no list pins rows; django-tables2's own rows keep that feature
            yield from super().__iter__()
            return
        for record in self.data:
            yield Row(record, table=self.table)

    def __getitem__(self, key):
        if isinstance(key, slice):
            return Rows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return Row(record=self.data[key], table=self.table)


class Table(tables.Table):
    """The base of every list's table: django-tables2's, with each render method's parameters read once and the
    rows written by `body`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = Rows(data=self.data, table=self, pinned_data=self.pinned_data)

    def body(self):
        """The page's rows as HTML, as django-tables2's template writes them (each cell localised and escaped
        as `{{ cell }}` would be), with each column's cell attributes worked out once, unless they depend on the
        row (a callable attribute), when they are worked out for each cell as the template does."""
        columns = list(self.columns)
        fixed = [None if _per_record(self, column) else column.attrs["td"].as_html() for column in columns]
        for row in self.paginated_rows:
            cells = []
            for column, attributes in zip(columns, fixed, strict=True):
                cell = row.get_cell(column.name)
                if attributes is None:
                    column.current_value, column.current_record = cell, row.record
                    attributes = column.attrs["td"].as_html()
                cells.append(format_html("<td {}>{}</td>", attributes, _cell_text(cell, column.localize)))
            yield format_html("<tr {}>{}</tr>", row.attrs.as_html(), mark_safe("".join(cells)))  # noqa: S308  # nosec B308 B703  # each cell escaped above


def _per_record(table, column) -> bool:
    attrs = {**table.attrs, **column.column.attrs}
    return any(callable(value) for value in attrs.get("td", attrs.get("cell", {})).values())


def _cell_text(cell, localize):
    """`{{ cell }}`, `{{ cell|localize }}` or `{{ cell|unlocalize }}` in a template that escapes."""
    if localize is None:
        cell = formats.localize(template_localtime(cell))
    else:  # the filter's text, which `{{ }}` then leaves as it is
        cell = str(formats.localize(cell, use_l10n=localize))
    return conditional_escape(cell)


class DayColumn(tables.Column):
    """A day as every page shows it (4 Mar 2026), ISO in exports, a dash when empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return day_text(value)

    def value(self, value, **kwargs):
        return value.isoformat() if isinstance(value, date) else super().value(value=value, **kwargs)
