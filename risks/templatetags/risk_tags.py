from django import template

from risks.models import risk_reference

register = template.Library()


@register.filter(name="risk_reference")
def risk_reference_of(risk) -> str:
    """A risk (or a row of the register as at a date) named as everywhere else: CORP-R007."""
    return risk_reference(risk.register.code, risk.number)
