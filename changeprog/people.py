"""People as the pages show them: by their full name, and in a filter only those who hold that role somewhere
(the managers of projects, the leads of workstreams, the owners of risks), not every account."""

import django_filters
from django.contrib.auth import get_user_model
from django_filters.fields import ModelChoiceField


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PersonFilter(django_filters.ModelChoiceFilter):
    """Filter a list by a person who holds a role on its records: `holders` is (model, field), e.g.
    (Project, "manager"); the choices are the active people named in that field anywhere, by full name."""

    field_class = PersonChoiceField

    def __init__(self, *, holders, **kwargs):
        model, field = holders

        def people(request):
            holding = model._default_manager.exclude(**{f"{field}__isnull": True}).values(field)
            return (
                get_user_model()
                .objects.filter(is_active=True, pk__in=holding)
                .order_by("first_name", "last_name", "username")
            )

        kwargs.setdefault("empty_label", "Anyone")
        super().__init__(queryset=people, **kwargs)
