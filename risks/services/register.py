"""The register: registers, raising, editing, reviewing and closing risks, and their actions.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from changeprog.concurrency import lock
from changeprog.effective import day_text
from changeprog.governance import require_reason, save_governed
from risks.models import (
    ActionStatus,
    BandCell,
    Register,
    RegisterLevel,
    Risk,
    RiskAction,
    RiskCategory,
    RiskScheme,
    RiskStatus,
)
from risks.services.schemes import scheme_spec

SCORE_KINDS = ("inherent", "current", "target")


def corporate_register() -> Register:
    register = Register.objects.filter(level=RegisterLevel.CORPORATE).first()
    if register is None:
        raise ValidationError("There is no corporate risk register; an administrator must create one.")
    return register


def programme_register(programme, *, by=None) -> Register:
    """The programme's own register, made the first time it is needed. Two requests needing it at once make
    one: the programme's row is locked while it is looked for and made."""
    register = Register.objects.filter(level=RegisterLevel.PROGRAMME, programme=programme).first()
    if register is not None:
        return register
    with transaction.atomic():
        lock(programme)
        register = Register.objects.filter(level=RegisterLevel.PROGRAMME, programme=programme).first()
        if register is not None:
            return register
        return save_governed(
            Register(
                level=RegisterLevel.PROGRAMME,
                code=programme.code.upper(),
                name=f"{programme.code} programme risk register",
                programme=programme,
                owner=programme.manager,
            ),
            by=by,
            reason="Programme register opened",
        )


def _check_scores(scheme: RiskScheme, scores: dict[str, tuple[int, int]]) -> dict[str, list[str]]:
    spec = scheme_spec(scheme)
    errors = {}
    for kind, (likelihood, impact) in scores.items():
        if likelihood not in spec.likelihoods:
            errors[f"{kind}_likelihood"] = [
                f"Likelihood must be from {min(spec.likelihoods)} to {max(spec.likelihoods)}; {likelihood} is not."
            ]
        if impact not in spec.impacts:
            errors[f"{kind}_impact"] = [
                f"Impact must be from {min(spec.impacts)} to {max(spec.impacts)}; {impact} is not."
            ]
    return errors


def _schedule_review(risk: Risk):
    """Next review = last review (or the day it was raised) + the review interval of its current band."""
    cell = BandCell.objects.select_related("band").get(
        scheme=risk.scheme, likelihood=risk.current_likelihood, impact=risk.current_impact
    )
    start = risk.last_reviewed_on or risk.raised_on
    risk.next_review_due = start + timedelta(days=cell.band.review_interval_days)


@dataclass(frozen=True)
class Scores:
    inherent: tuple[int, int]
    current: tuple[int, int]
    target: tuple[int, int]


def risk_raise(
    *,
    register: Register,
    title: str,
    category: RiskCategory,
    scores: Scores,
    by,
    reason: str = "Risk raised",
    raised_on: date | None = None,
    when: datetime | None = None,
    **fields,
) -> Risk:
    """Add a risk to a register with its next number; scores and the review date are checked and computed."""
    scheme = category.scheme
    errors = _check_scores(scheme, {k: getattr(scores, k) for k in SCORE_KINDS})
    if not scheme.is_current:
        errors.setdefault("category", []).append(f"{category.name} is from {scheme}, which is no longer current.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Register.objects.select_for_update().get(pk=register.pk)
        number = (register.risks.aggregate(top=Max("number"))["top"] or 0) + 1
        risk = Risk(
            register=register,
            number=number,
            title=title,
            scheme=scheme,
            category=category,
            raised_on=raised_on or timezone.localdate(),
            **{
                f"{k}_{part}": v
                for k in SCORE_KINDS
                for part, v in zip(("likelihood", "impact"), getattr(scores, k), strict=True)
            },
            **fields,
        )
        _schedule_review(risk)
        # A risk raised on a past day is on record as at that day (its register as at a meeting shows it).
        effective = raised_on if raised_on and when is None else None
        return save_governed(risk, by=by, reason=reason, when=when, effective=effective)


RISK_EDITABLE = [
    "title",
    "cause",
    "event",
    "effect",
    "category",
    "owner",
    "workstream",
    "project",
    "inherent_likelihood",
    "inherent_impact",
    "current_likelihood",
    "current_impact",
    "target_likelihood",
    "target_impact",
    "target_date",
    "proximity",
    "response",
]


def risk_update(*, risk: Risk, changes: dict, by, reason: str, when: datetime | None = None) -> Risk:
    """Edit a risk. Its scores are checked against the scheme it was scored with."""
    require_reason(reason)
    unknown = set(changes) - {*RISK_EDITABLE, "custom"}
    if unknown:
        raise ValidationError(f"These cannot be edited here: {', '.join(sorted(unknown))}.")
    merged = {name: changes.get(name, getattr(risk, name)) for name in RISK_EDITABLE}
    errors = _check_scores(risk.scheme, {k: (merged[f"{k}_likelihood"], merged[f"{k}_impact"]) for k in SCORE_KINDS})
    if merged["category"].scheme_id != risk.scheme_id:
        errors.setdefault("category", []).append(
            f"{merged['category'].name} belongs to {merged['category'].scheme}; this risk is scored with {risk.scheme}."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(risk, name, value)
        _schedule_review(risk)
        return save_governed(risk, by=by, reason=reason, when=when)


def risk_review(
    *, risk: Risk, reviewed_on: date, current_likelihood: int, current_impact: int, by, reason: str, when=None
) -> Risk:
    """Record a review: the current score now, kept beside the score before, and the next review date."""
    require_reason(reason)
    errors = _check_scores(risk.scheme, {"current": (current_likelihood, current_impact)})
    if reviewed_on < risk.raised_on:
        errors["reviewed_on"] = [f"A review cannot be before the risk was raised ({day_text(risk.raised_on)})."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        risk.before_review_likelihood, risk.before_review_impact = risk.current_likelihood, risk.current_impact
        risk.current_likelihood, risk.current_impact = current_likelihood, current_impact
        risk.last_reviewed_on = reviewed_on
        _schedule_review(risk)
        return save_governed(risk, by=by, reason=reason, when=when)


def risk_close(*, risk: Risk, closed_reason: str, by, when=None) -> Risk:
    if not (closed_reason or "").strip():
        raise ValidationError({"closed_reason": "Say why the risk is closed."})
    if risk.contributors.filter(status=RiskStatus.OPEN).exists():
        raise ValidationError("Open risks contribute to this one; close or relink them first.")
    with transaction.atomic():
        risk.status, risk.closed_reason = RiskStatus.CLOSED, closed_reason
        return save_governed(risk, by=by, reason=closed_reason, when=when)


def action_add(*, risk: Risk, description: str, due_date: date, by, owner=None, reason="Action added", when=None):
    if due_date < risk.raised_on:
        raise ValidationError(
            {"due_date": f"An action cannot be due before the risk was raised ({day_text(risk.raised_on)})."}
        )
    with transaction.atomic():
        return save_governed(
            RiskAction(risk=risk, description=description, owner=owner, due_date=due_date),
            by=by,
            reason=reason,
            when=when,
        )


def action_update(*, action: RiskAction, changes: dict, by, reason: str, when=None) -> RiskAction:
    require_reason(reason)
    due = changes.get("due_date", action.due_date)
    if due < action.risk.raised_on:
        raise ValidationError(
            {"due_date": f"An action cannot be due before the risk was raised ({day_text(action.risk.raised_on)})."}
        )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(action, name, value)
        if action.status == ActionStatus.DONE and action.completed_on is None:
            action.completed_on = timezone.localdate()
        return save_governed(action, by=by, reason=reason, when=when)
