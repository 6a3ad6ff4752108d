"""What a change was (`workstreams.changes.Change`), written in Python: *what changed* and an item's history list
hundreds. The same HTML as `workstreams/includes/change_what.html` wrote (`tests/workstreams/test_changes.py`
compares them)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from changeprog.templatetags.changeprog import person, short_date, status_badge

register = template.Library()

MOVEMENTS = {
    "worse": mark_safe('<span class="movement movement-worse"><span aria-hidden="true">▼</span> worse</span>'),  # noqa: S308  # nosec B308 B703 - a constant
    "better": mark_safe('<span class="movement movement-better"><span aria-hidden="true">▲</span> better</span>'),  # noqa: S308  # nosec B308 B703 - a constant
    "scale changed": mark_safe('<span class="movement movement-scale">scale changed</span>'),  # noqa: S308  # nosec B308 B703 - a constant
}


@register.filter
def change_what(change) -> SafeString:
    """A status change as its dimension, the level before and after and which way it moved; any other change
    as its summary; and, for a change recorded after the day it took effect, when and by whom."""
    if change.kind == "status":
        before = format_html("{} →", status_badge(change.old_level)) if change.old_level else "first rating"
        what = format_html(
            '<span class="fw-semibold">{}:</span>\n{}\n{}\n{}\n',
            change.summary,
            before,
            status_badge(change.new_level),
            MOVEMENTS.get(change.direction, ""),
        )
    else:
        what = linebreaksbr(change.summary, autoescape=True)
    if change.recorded_later:
        later = format_html(
            '<div class="small recorded-later">Recorded later, on {} by {}</div>',
            short_date(change.recorded_on),
            person(change.recorded_by, "an unknown user"),
        )
        return format_html("{}{}", what, later)
    return what
