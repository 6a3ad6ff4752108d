"""A record's page by its id, for pages that link hundreds of records (a board's cards, a ranking, a window of
changes): `reverse` resolves each link from the URL patterns afresh (about 40 µs), so each kind of link is
resolved once, with a marker for the id, and then filled in with each record's id.

Only for patterns that take one whole-number id (`<int:pk>`). The resolved halves are kept per URL configuration
and script prefix, and forgotten when the URL configuration changes (as tests change it)."""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

MARK = 918273645  # an id no pattern's fixed text contains


@cache
def _halves(name: str, prefix: str, urlconf) -> tuple[str, str]:
    url = reverse(name, args=[MARK], urlconf=urlconf)
    before, found, after = url.partition(str(MARK))
    if not found or str(MARK) in after:
        raise ValueError(f"{name} does not take one id")
    return before, after


def link(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])`, for a pattern whose one argument is a whole-number id."""
    if type(pk) is not int:  # anything else (None, a string) as reverse takes it, or refuses it
        return reverse(name, args=[pk])
    before, after = _halves(name, get_script_prefix(), get_urlconf())
    return f"{before}{pk}{after}"


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _halves.cache_clear()
