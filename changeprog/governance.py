"""How every governed record is saved: validated, with the history row naming who, why and (for loaded
records) when. Services in every app save through here."""

from datetime import datetime

from django.core.exceptions import ValidationError


def require_reason(reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this change is being made; it is kept in the history."})


def save_governed(instance, *, by, reason: str, when: datetime | None = None):
    """Validate and save `instance`; its history row records `by` and `reason` (and `when`, for loaded data)."""
    instance._history_user = by
    instance._change_reason = reason
    if when is not None:
        instance._history_date = when
    instance.full_clean()
    instance.save()
    return instance
