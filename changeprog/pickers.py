"""Searchable pickers for choices that grow with the organisation (people, risk registers): a text box whose
suggestions the server sends as one types (htmx fills a datalist), so no page lists every one of them. A screen
reader and the keyboard use it as any text box with suggestions; without JavaScript one types the name, or its key.

A suggestion reads "Name (key)"; a field accepts that, or whatever its subclass can match exactly (`find`), and
says plainly when what was typed names none or several, never guessing."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy

SUGGESTIONS = 20
LABELLED = re.compile(r".*\(([^()]+)\)\s*")


class SearchPicker(forms.TextInput):
    """The text box; `search_url_name` answers its suggestions as `picker_options.html`."""

    template_name = "changeprog/widgets/search_picker.html"
    is_picker = True
    search_url_name = ""
    list_suffix = "choices"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "class": "form-control", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse_lazy(self.search_url_name)
        context["widget"]["list_id"] = f"{context['widget']['attrs'].get('id', name)}-{self.list_suffix}"
        return context


def matching_every_word(queryset, text: str, fields: list[str]):
    """The rows of `queryset` where each word of `text` (up to five) is in one of `fields`; none for no words."""
    words = text.split()
    if not words:
        return queryset.none()
    for word in words[:5]:
        anywhere = Q()
        for field in fields:
            anywhere |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(anywhere)
    return queryset


def typed_text(request) -> str:
    """What was typed into the picker that asked for suggestions (its field's name is sent as `field`)."""
    field = request.GET.get("field", "")
    text = (request.GET.get(field) if field and field != "field" else None) or request.GET.get("q", "")
    return text[:100]


class PickedChoiceField(forms.ModelChoiceField):
    """One record of `queryset`, chosen with a `SearchPicker`: typed as its suggestion's label (the key in
    brackets is matched), or as anything `find` matches exactly; none or several is a clear error."""

    placeholder = "Type part of a name"
    several = "Several match “{text}”: choose one from the suggestions."
    none = "Nothing called “{text}” can be chosen here. Type part of its name and choose from the suggestions."

    def __init__(self, queryset, **kwargs):
        kwargs.pop("empty_label", None)
        kwargs.pop("widget", None)
        super().__init__(queryset, empty_label=None, **kwargs)
        self.widget.attrs.setdefault("placeholder", self.placeholder)

    def label_of(self, obj) -> str:
        raise NotImplementedError

    def by_key(self, key: str) -> list:
        """The records whose key (the bracketed part of a label) is `key`, at most two."""
        raise NotImplementedError

    def find(self, text: str) -> list:
        """The records `text` names exactly (not a label), at most two."""
        raise NotImplementedError

    def label_from_instance(self, obj):
        return self.label_of(obj)

    def prepare_value(self, value):
        if hasattr(value, "_meta"):
            return self.label_of(value)
        if isinstance(value, int):  # an initial value from a record: its id
            found = self.queryset.model._default_manager.filter(pk=value).first()
            return self.label_of(found) if found else ""
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if hasattr(value, "_meta"):
            return value
        text = str(value).strip()
        labelled = LABELLED.fullmatch(text)
        # A label names its key in brackets; a name may hold brackets of its own, so it is tried as typed too.
        found = (self.by_key(labelled.group(1).strip()) if labelled else []) or self.find(text)
        if not found and not labelled and text.isascii() and text.isdigit() and len(text) <= 18:
            found = list(self.queryset.filter(pk=int(text))[:1])  # an id, as a select or a link sends it
        if len(found) == 1:
            return found[0]
        raise ValidationError(
            (self.several if found else self.none).format(text=text[:100]),
            code="ambiguous" if found else "invalid_choice",
        )
