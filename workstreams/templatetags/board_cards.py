"""A board's cards, written in Python: a large programme's board shows hundreds, and the template language spent
more on them than building the board took. The same HTML as the board's template wrote (`tests/workstreams/
test_board.py` compares them)."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from changeprog.people import person_name
from changeprog.templatetags.changeprog import item_url

register = template.Library()

NONE_MATCH = mark_safe('\n        <li class="small text-body-secondary p-2">No projects match.</li>\n        ')  # noqa: S308  # nosec B308 B703 - a constant
CARD = (
    '\n        <li class="board-card{rated}">\n          <div class="board-card-strip {strip}">{headline}</div>\n'
    '          <div class="board-card-body">\n            <a href="{url}">{name}</a>\n'
    '            <div class="small text-body-secondary">{lifecycle}{manager}</div>\n'
    "            {own}\n            {reason}\n            {flags}\n            {difference}\n          </div>\n"
    "        </li>\n        "
)


@register.filter
def board_cards(cards, as_at=None) -> SafeString:
    """Each card of a column: its headline strip, its name linked (as at the board's date), lifecycle and manager,
    the own fields shown on cards, the headline's reason, its flags and how it differs from its rule."""
    if not cards:
        return NONE_MATCH
    return format_html_join("", "{}", ((_card(card, as_at),) for card in cards))


def _card(card, as_at) -> SafeString:
    item, headline = card.item, card.headline
    manager = item.manager if item.manager_id else None
    own = ""
    if card.own:
        cells = format_html_join(
            "",
            '<div><dt class="d-inline">{}:</dt> <dd class="d-inline m-0">{}</dd></div>',
            ((cell.field.label, cell.text) for cell in card.own if cell.text),
        )
        own = format_html('<dl class="board-card-own small mb-1">{}</dl>', cells)
    explanation = headline.explanation if headline else ""
    reason = (
        format_html('<p class="status-reason">{}</p>', Truncator(explanation).words(24, truncate=" …"))
        if explanation
        else ""
    )
    difference = ""
    if "differs-from-rule" in card.flags:  # rare: the few cards rated otherwise than their rule
        difference = format_html(
            '<p class="small mb-0">{}</p>',
            render_to_string("includes/rule_difference.html", {"update": card.row.update}),  # safe: escaped there
        )
    return format_html(
        CARD,
        rated=" board-card-rated" if headline else "",
        strip=f"level-{headline.level.pk}" if headline else "unrated",
        headline=headline.level.label if headline else "Not rated",
        url=item_url(item, as_at),
        name=item.name,
        lifecycle=item.get_lifecycle_display(),
        manager=format_html(" · {}", person_name(manager)) if manager else "",
        own=own,
        reason=reason,
        flags=format_html_join("", '<span class="badge flag flag-{}">{}</span> ', card.flag_labels),
        difference=difference,
    )
