from django import template

from changeprog.drawing import colour_class_name, to_svg

register = template.Library()


@register.filter
def figure_svg(block: dict):
    """A report figure drawn as inline SVG (the same shapes the Word file draws as a PNG)."""
    return to_svg(block)


@register.filter
def colour_class(cell: dict) -> str:
    """The class a status cell's colours are given by the report's own stylesheet (no inline style)."""
    return colour_class_name(cell["colour"], cell["text_colour"])
