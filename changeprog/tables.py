"""Table columns every list shares (django-tables2). Dates are formatted in Python: django-tables2's DateColumn
compiles a template for every cell, which on a page of a hundred rows cost more than the rest of the page."""

from datetime import date

import django_tables2 as tables
from django.utils import formats


class DayColumn(tables.Column):
    """A date in the site's long format (1 December 2026), ISO in exports, a dash when empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", "—")
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formats.date_format(value, "DATE_FORMAT")

    def value(self, value, **kwargs):
        return value.isoformat() if isinstance(value, date) else super().value(value=value, **kwargs)
