"""The organisation's words for its levels and lifecycle states (`Vocabulary`), read at most once per request:
the row is remembered until the request ends (`VocabularyMiddleware` forgets it at the start of each) or the
row is saved, so a page that labels a thousand items costs one query for their words."""

from django.db.models.signals import post_save

from changeprog.models import Vocabulary

_remembered: Vocabulary | None = None


def current() -> Vocabulary:
    global _remembered
    if _remembered is None:
        _remembered = Vocabulary.objects.filter(pk=1).first() or Vocabulary(pk=1)
    return _remembered


def forget(**kwargs):
    global _remembered
    _remembered = None


def lifecycle_label(value: str, default: str = "") -> str:
    return getattr(current(), f"lifecycle_{value}", "") or default or value


def lifecycle_choices(choices) -> list[tuple[str, str]]:
    """The lifecycle's (value, label) `choices` with the organisation's words, in their fixed order."""
    return [(value, lifecycle_label(value, label)) for value, label in choices]


def lifecycle_display(item) -> str:
    """`get_lifecycle_display` for every item: the organisation's word for its lifecycle state."""
    return lifecycle_label(item.lifecycle)


post_save.connect(forget, sender=Vocabulary, dispatch_uid="vocabulary-forget")


class VocabularyMiddleware:
    """Each request reads the words afresh (another server may have changed them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forget()
        return self.get_response(request)
