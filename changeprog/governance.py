"""How every governed record is saved: validated, with the history row naming who, why, from when the fact
holds (its effective date) and, for loaded records, when it was recorded. Services in every app save through
here."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeprog.effective import check_effective


def require_reason(reason: str):
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this change is being made; it is kept in the history."})


def save_governed(instance, *, by, reason: str, when: datetime | None = None, effective: date | None = None):
    """Validate and save `instance`; its history row records `by`, `reason` and the effective date.

    `effective` back-dates the fact (default: today, or the day of `when`); it may not precede the object's
    latest fact. `when` is for loaded data only (the demo, generated portfolios): it dates the recording itself.
    Models whose own field is their effective date (`effective_date_source`) ignore `effective`.
    """
    instance._history_user = by
    instance._change_reason = reason
    # A date given to an earlier save of the same object must not carry over to this one.
    instance.__dict__.pop("_history_effective_date", None)
    if when is not None:
        instance._history_date = when
    if effective is None and when is not None:
        effective = timezone.localdate(when)
    if effective is not None and not getattr(type(instance), "effective_date_source", None):
        # Only a back-dated fact can fall before the latest one; today's never does, and costs no query.
        if when is None and effective != timezone.localdate():
            check_effective(instance, effective)
        instance._history_effective_date = effective
    instance.full_clean()
    instance.save()
    return instance


def next_version(obj, *, by, reason: str, when: datetime | None = None):
    """Make the next version of a versioned record (a risk scheme, a status scale): the old one stays as it was
    and stops being current; the copy, version + 1 and pointing back to it, becomes current. The caller copies
    the record's parts. Refused if the record already has a newer version."""

    model = type(obj)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=obj.pk)
        if model.objects.filter(previous=obj).exists():
            raise ValidationError(f"{obj} already has a newer version; change that one.")
        obj.is_current = False
        save_governed(obj, by=by, reason=reason, when=when)
        copy = model.objects.get(pk=obj.pk)
        copy.pk = None
        copy.version, copy.previous, copy.is_current = obj.version + 1, obj, True
        return obj, save_governed(copy, by=by, reason=reason, when=when)


def bulk_create_governed(objects, model, *, by, reason: str, effective: date | None = None, batch_size: int = 2000):
    """Create many governed records at once with their history (simple-history's bulk helper), each history row
    dated from its record's own effective date (`effective_date_source`) or from `effective` (default today).
    For generated portfolios and test set-ups; the services save one record at a time."""
    from simple_history.utils import bulk_create_with_history

    from changeprog import pagecache
    from changeprog.effective import EffectiveDated, effective_date_of

    # Bulk creation sends no signals: every cached page is refreshed.
    pagecache.touch_everything()
    transaction.on_commit(pagecache.touch_everything, robust=True)

    if not issubclass(model.history.model, EffectiveDated):
        return bulk_create_with_history(
            objects, model, batch_size=batch_size, default_user=by, default_change_reason=reason
        )
    now = timezone.now()
    groups: dict[date, list] = {}
    for obj in objects:
        if effective is not None and not getattr(model, "effective_date_source", None):
            obj._history_effective_date = effective
        groups.setdefault(effective_date_of(obj, now), []).append(obj)
    created = []
    for day, group in groups.items():
        created += bulk_create_with_history(
            group,
            model,
            batch_size=batch_size,
            default_user=by,
            default_change_reason=reason,
            custom_historical_attrs={"effective_date": day},
        )
    return created
