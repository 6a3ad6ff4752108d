from django import template

from reporting.figures import to_svg

register = template.Library()


@register.filter
def figure_svg(block: dict):
    """A report figure drawn as inline SVG (the same shapes the Word file draws as a PNG)."""
    return to_svg(block)
