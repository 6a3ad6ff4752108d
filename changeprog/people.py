"""People as the pages show them: by their full name, and in a filter only those who hold that role somewhere
(the managers of projects, the leads of workstreams, the owners of risks), not every account."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django_filters.fields import ModelChoiceField

from changeprog.pickers import PickedChoiceField, SearchPicker, matching_every_word


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def person_label(user) -> str:
    """How a picker names a person: unambiguous, since two people may share a full name."""
    return f"{person_name(user)} ({user.get_username()})"


def people_matching(text: str, queryset=None):
    """Active people whose user name, names or email contain every word of `text`, best known first."""
    people = queryset if queryset is not None else get_user_model().objects.filter(is_active=True)
    matched = matching_every_word(people, text, ["username", "first_name", "last_name", "email"])
    return matched.order_by("first_name", "last_name", "username")


class PersonPicker(SearchPicker):
    """A searchable picker for one person (suggestions from `workstreams:people_search`)."""

    search_url_name = "workstreams:people_search"
    list_suffix = "people"


class PersonField(PickedChoiceField):
    """One person of `queryset`, chosen with a `PersonPicker`: given as "Full Name (username)" (what the
    suggestions say), a user name, a full name or an email address, matched exactly; none or several is a
    clear error, never a guess."""

    widget = PersonPicker
    several = "Several people are called “{text}”: choose one from the suggestions (they show user names)."
    none = "No one called “{text}” can be chosen here. Type part of their name and choose from the suggestions."

    def label_of(self, obj):
        return person_label(obj)

    def by_key(self, key):
        return list(self.queryset.filter(username=key)[:2])

    def find(self, text):
        people = self.queryset
        found = list(people.filter(username__iexact=text)[:2]) or list(people.filter(email__iexact=text)[:2])
        if not found and not (text.isascii() and text.isdigit()):
            found = [p for p in people_matching(text, people)[:50] if person_name(p).lower() == text.lower()][:2]
        return found


def use_person_pickers(form):
    """Every choice of one person on `form` becomes a `PersonField` over the same people (called by every form's
    base, so no form in any app lists every account)."""
    user_model = get_user_model()
    for name, field in list(form.fields.items()):
        if (
            type(field) in (forms.ModelChoiceField, PersonChoiceField)
            and getattr(field, "queryset", None) is not None
            and field.queryset.model is user_model
        ):
            picker = PersonField(
                field.queryset,
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                initial=field.initial,
                disabled=field.disabled,
            )
            picker.widget.attrs.update(
                {k: v for k, v in field.widget.attrs.items() if k in {"class", "aria-describedby"}}
            )
            form.fields[name] = picker


class PersonChoiceField(ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PersonFilter(django_filters.ModelChoiceFilter):
    """Filter a list by a person who holds a role on its records: `holders` is (model, field), e.g.
    (Project, "manager"); chosen with a searchable picker from the active people named in that field anywhere."""

    field_class = PersonField

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
