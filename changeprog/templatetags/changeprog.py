from django import template

register = template.Library()


@register.filter
def person(user, empty="not assigned"):
    """A user's full name, else their username; `empty` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
