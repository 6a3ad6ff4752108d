import base64
import re

from django import template
from django.utils.html import format_html, format_html_join

from changeprog.drawing import colour_class_name, to_svg
from changeprog.templatetags import changeprog as core_tags

register = template.Library()


# A figure drawn as inline SVG: the core's filter (`changeprog` tags), under the same name in papers' templates.
register.filter("figure_svg", core_tags.figure_svg)


@register.filter
def colour_class(cell: dict) -> str:
    """The class a status cell's colours are given by the report's own stylesheet (no inline style)."""
    return colour_class_name(cell["colour"], cell["text_colour"])


SAFE_IN_CSS_STRING = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;()/+!?–")


@register.filter
def css_string(text) -> str:
    """`text` as the inside of a double-quoted CSS string (e.g. a page header's `content`): every character but
    letters, digits and plain punctuation as a CSS escape (`\\000022 `: the space after it ends the escape and is
    not printed), so any marking prints as written and nothing closes the string or the style element. The
    result holds no character HTML would escape."""
    return "".join(ch if ch in SAFE_IN_CSS_STRING else f"\\{ord(ch):06X} " for ch in str(text))


@register.filter
def figure_img(block: dict):
    """A report figure for print: the SVG as an image at its own size (never stretched past it, nor past the
    page), with its description as the alternative text a tagged PDF gives screen readers."""
    svg = str(to_svg(block, css_class="report-figure-svg")).encode()
    return format_html(
        '<img class="report-figure-img" src="data:image/svg+xml;base64,{}" alt="{}. {}" width="{}" height="{}">',
        base64.b64encode(svg).decode("ascii"),
        block["caption"],
        block["description"],
        block["width"],
        block["height"],
    )


REFERENCE = re.compile(r"\b[A-Z][A-Z0-9]*-[A-Z]*[0-9]+\b")


@register.filter
def keep_references(text):
    """Text with each reference (T2025-R001, CR-12) kept on one line: a line may not break at its hyphen."""
    pieces, last = [], 0
    for match in REFERENCE.finditer(str(text)):
        pieces += [(str(text)[last : match.start()], ""), ("", match.group())]
        last = match.end()
    pieces.append((str(text)[last:], ""))
    return format_html_join("", "{}{}", ((plain, _nowrap(ref) if ref else "") for plain, ref in pieces))


def _nowrap(reference: str):
    return format_html('<span class="reference">{}</span>', reference)


@register.filter
def listed(value) -> list:
    """One thing as a list of one, for a template that loops."""
    return [value]
