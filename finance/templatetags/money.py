from django import template

from finance.selectors import pounds

register = template.Library()


@register.filter
def money(value) -> str:
    """£1,234,567 (pence only when there are some); a dash for none."""
    return pounds(value)
