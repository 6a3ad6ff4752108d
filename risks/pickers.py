"""Choosing a risk register by typing (an organisation may keep one per programme and per project, so no page
lists them all): suggestions from `risks:register_search`, a register named as "Name (CODE)", its code or its
name."""

from changeprog.pickers import PickedChoiceField, SearchPicker, matching_every_word
from risks.models import Register


def register_label(register: Register) -> str:
    return f"{register.name} ({register.code})"


def registers_matching(text: str):
    """Registers whose code or name contains every word of `text`, corporate first, then by code."""
    return matching_every_word(Register.objects.all(), text, ["code", "name"]).order_by("level", "code")


class RegisterPicker(SearchPicker):
    search_url_name = "risks:register_search"
    list_suffix = "registers"


class RegisterField(PickedChoiceField):
    widget = RegisterPicker
    placeholder = "Type part of a name or code"
    several = "Several registers are called “{text}”: choose one from the suggestions (they show codes)."
    none = (
        "No register called “{text}” can be chosen here. Type part of its name or code and choose from the suggestions."
    )

    def label_of(self, obj):
        return register_label(obj)

    def by_key(self, key):
        return list(self.queryset.filter(code__iexact=key)[:2])

    def find(self, text):
        return self.by_key(text) or list(self.queryset.filter(name__iexact=text)[:2])
