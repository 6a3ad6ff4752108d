"""Writing money: an item's lines for a financial year saved in one step with one reason (only what changed makes
history), and a programme's tolerance. Both go through the governed save: who, when, why, from when."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from changeprog.effective import moment_text
from changeprog.governance import require_reason, save_governed
from changeprog.people import person_name
from finance.models import FinanceLine, MoneyKind, Tolerance
from finance.selectors import scope
from finance.years import FinancialYear
from workstreams.models import SUBJECTS

VALUES = ("budget", "actual", "forecast")


def subject_field(subject) -> str:
    name = type(subject)._meta.model_name
    if name not in SUBJECTS:
        raise TypeError(f"Money is kept for programmes, workstreams and projects, not {name}.")
    return name


def lines_version(subject) -> int:
    """The latest history row of the subject's own lines (0 when it has none): what an entry grid remembers."""
    latest = (
        FinanceLine.history.filter(**{f"{subject_field(subject)}_id": subject.pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


def _conflict(subject, seen_version: int | None) -> str | None:
    if seen_version is None:
        return None
    latest = lines_version(subject)
    if latest == seen_version or not latest:  # unchanged, or nothing on record to have changed
        return None
    row = FinanceLine.history.select_related("history_user").get(history_id=latest)
    when = moment_text(row.history_date)
    why = f" ({row.history_change_reason})" if row.history_change_reason else ""
    return (
        f"{person_name(row.history_user) or 'Someone'} changed the figures of {subject} at {when}{why}, after you "
        "opened this form. Nothing of yours was saved; your input is kept below. Compare it with theirs and save "
        "again."
    )


class StaleFigures(ValidationError):
    """The item's figures changed after the grid was opened."""


def finance_year_save(
    *,
    subject,
    year: FinancialYear,
    values: dict,
    by,
    reason: str,
    seen_version: int | None = None,
    when: datetime | None = None,
    effective: date | None = None,
) -> int:
    """Save the subject's own lines for `year` from `values` {(month, kind): {"budget": …, "actual": …,
    "forecast": …}} (None for empty). A month outside the year, an unknown kind, a negative budget or a save over
    someone else's later change is refused and nothing is saved. Returns how many lines changed."""
    require_reason(reason)
    months = set(year.months())
    for month, kind in values:
        if month not in months:
            raise ValidationError(f"{month:%B %Y} is not a month of {year}.")
        if kind not in MoneyKind.values:
            raise ValidationError(f"“{kind}” is not capital or revenue.")
    field = subject_field(subject)
    changed = 0
    with transaction.atomic():
        type(subject).objects.select_for_update().get(pk=subject.pk)  # one save of an item's figures at a time
        stale = _conflict(subject, seen_version)
        if stale:
            raise StaleFigures(stale)
        held = {
            (line.month, line.kind): line
            for line in FinanceLine.objects.filter(
                scope(subject, rolled=False), month__gte=year.first_day, month__lte=year.last_day
            )
        }
        for (month, kind), given in sorted(values.items()):
            given = {name: given.get(name) for name in VALUES}
            line = held.get((month, kind))
            if line is None:
                if all(v is None for v in given.values()):
                    continue
                line = FinanceLine(**{field: subject}, month=month, kind=kind)
            elif all(_same(getattr(line, name), given[name]) for name in VALUES):
                continue
            for name, value in given.items():
                setattr(line, name, value)
            save_governed(line, by=by, reason=reason, when=when, effective=effective)
            changed += 1
    return changed


def _same(held, given) -> bool:
    if held is None or given is None:
        return held is None and given is None
    return Decimal(held) == Decimal(given)


def tolerance_set(
    *, programme, percent: Decimal | None, amount: Decimal | None, by, reason: str, when: datetime | None = None
) -> Tolerance:
    """Set (or change) how far the programme's forecast may exceed its budget in a year."""
    require_reason(reason)
    with transaction.atomic():
        tolerance = Tolerance.objects.select_for_update().filter(programme=programme).first() or Tolerance(
            programme=programme
        )
        tolerance.percent, tolerance.amount = percent, amount
        return save_governed(tolerance, by=by, reason=reason, when=when)
