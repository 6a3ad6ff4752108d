from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from changeprog.effective import day_text, moment_text
from changeprog.links import link
from changeprog.people import person_name

register = template.Library()


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    """A date (or a moment, on its local day) as "4 Mar 2026" (`changeprog.effective.day_text`)."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return day_text(value)


@register.filter(expects_localtime=True)
def short_moment(value) -> str:
    """A moment as "4 Mar 2026, 09:05" in UK time (`changeprog.effective.moment_text`)."""
    return moment_text(value) if value else ""


@register.filter
def status_badge(level) -> str:
    """A status level shown by its label as well as its colour, so it never depends on colour alone; "Not rated"
    where there is none. Written in Python: a board or a window of changes shows hundreds."""
    if not level:
        return NOT_RATED
    return format_html(
        '<span class="status-badge level-{}" title="{}">{}</span>', level.pk, level.definition, level.label
    )


NOT_RATED = mark_safe('<span class="not-rated">Not rated</span>')  # noqa: S308  # nosec B308 B703 - a constant


@register.filter
def figure_svg(block: dict):
    """A figure (`changeprog.drawing`) drawn as inline SVG: the same shapes a Word file draws as a PNG."""
    from changeprog.drawing import to_svg

    return to_svg(block)


@register.filter
def person(user, empty="not assigned"):
    """A user's full name, else their username; `empty` when there is no user."""
    return empty if user is None else person_name(user)


@register.filter
def person_label(user):
    """How a person picker names someone: full name and user name (`changeprog.people.person_label`)."""
    from changeprog.people import person_label as label

    return label(user)


@register.simple_tag(name="link")
def link_tag(name, pk):
    """`{% url name pk %}` for a page of one record by its id, in a row repeated hundreds of times
    (`changeprog.links`)."""
    return link(name, pk)


@register.simple_tag
def item_url(item, as_at=None):
    """An item's page, staying on the same "as at" date when the page being read is in the past."""
    url = item.get_absolute_url()
    return f"{url}?as_at={as_at:%Y-%m-%d}" if as_at else url


@register.filter
def duration(value) -> str:
    """A timedelta in words: "15 minutes", "2 hours", "1 day"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size and minutes % size == 0 or size == 1:
            count = max(minutes // size, 1)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return ""


@register.filter
def model_name(obj) -> str:
    """The record's kind, e.g. "project", for templates that show each kind its own way."""
    return obj._meta.model_name if hasattr(obj, "_meta") else ""


@register.inclusion_tag("includes/custom_values.html")
def custom_values(item, css="col-sm-3 col-lg-2"):
    """The organisation's own fields of a record with their values (as at the page's date when the record is
    as it stood then): empty fields show as "not given", so a page says what is missing."""
    from changeprog.custom_fields import rows_for

    model = getattr(item, "instance_type", None) or type(item)  # a history row reads as its record
    record = getattr(model, "custom_record", None)
    return {"rows": rows_for(record, item) if record else [], "dt": css}


@register.filter
def custom_cells(table, item):
    """The cells of one record in a `changeprog.custom_fields.Table`."""
    return table.cells(item) if table else []
