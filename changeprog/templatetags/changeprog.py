from django import template

register = template.Library()


@register.filter
def person(user, empty="not assigned"):
    """A user's full name, else their username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.simple_tag
def item_url(item, as_at=None):
    """An item's page, staying on the same "as at" date when the page being read is in the past."""
    url = item.get_absolute_url()
    return f"{url}?as_at={as_at:%Y-%m-%d}" if as_at else url
