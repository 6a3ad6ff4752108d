"""Writes for risks: scheme versions, prioritisation assessments, the register, escalation, dependencies.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from changeprog.governance import next_version, require_reason, save_governed
from risks.models import (
    ActionStatus,
    BandCell,
    Dependency,
    DependencyKind,
    Escalation,
    EscalationStatus,
    ImpactDescriptor,
    ImpactLevel,
    LikelihoodLevel,
    PriorityAssessment,
    PriorityImpact,
    Register,
    RegisterLevel,
    Risk,
    RiskAction,
    RiskBand,
    RiskCategory,
    RiskScheme,
    RiskStatus,
)
from risks.scoring import Spec, grid_problems

# --- Schemes -------------------------------------------------------------------------------------------------


def scheme_in_use(scheme: RiskScheme) -> bool:
    return scheme.assessments.exists() or scheme.risks.exists()


def scheme_spec(scheme: RiskScheme) -> Spec:
    scheme = RiskScheme.objects.prefetch_related(
        "likelihood_levels", "impact_levels", "bands", "cells", "categories"
    ).get(pk=scheme.pk)
    return Spec.from_scheme(scheme)


def scheme_check(scheme: RiskScheme):
    """Refuse a scheme whose grid does not match its scales or leaves a cell without a band."""
    problems = grid_problems(scheme_spec(scheme))
    if problems:
        raise ValidationError(["The band grid does not fit the scheme's scales.", *problems])


def scheme_new_version(*, scheme: RiskScheme, by, reason: str, when: datetime | None = None) -> RiskScheme:
    """Copy a scheme to its next version, which becomes current. The old version stays as it was, so every
    assessment and risk scored with it keeps its scores."""
    require_reason(reason)
    with transaction.atomic():
        scheme, copy = next_version(scheme, by=by, reason=reason, when=when)

        def clone(rows, **changes):
            for row in rows:
                row.pk = None
                for name, value in changes.items():
                    setattr(row, name, value(row) if callable(value) else value)
                save_governed(row, by=by, reason=reason, when=when)

        clone(LikelihoodLevel.objects.filter(scheme=scheme), scheme=copy)
        clone(ImpactLevel.objects.filter(scheme=scheme), scheme=copy)
        bands = {}
        for band in RiskBand.objects.filter(scheme=scheme):
            old = band.pk
            clone([band], scheme=copy)
            bands[old] = band
        clone(BandCell.objects.filter(scheme=scheme), scheme=copy, band=lambda cell: bands[cell.band_id])
        for category in RiskCategory.objects.filter(scheme=scheme):
            descriptors = list(ImpactDescriptor.objects.filter(category=category))
            clone([category], scheme=copy)
            clone(descriptors, category=category)
    return copy


def scheme_change(*, scheme: RiskScheme, by, reason: str, cells=None, categories=None, bands=None, **thresholds):
    """Change a scheme: in place if nothing has been scored with it yet, else as a new version.

    `cells` maps (likelihood, impact) to a band code; `categories` maps a category code to field values;
    `bands` maps a band code to field values; other keywords set the scheme's thresholds.
    Returns the scheme that now holds the change.
    """
    require_reason(reason)
    with transaction.atomic():
        target = scheme_new_version(scheme=scheme, by=by, reason=reason) if scheme_in_use(scheme) else scheme
        for name, value in thresholds.items():
            setattr(target, name, value)
        if thresholds:
            save_governed(target, by=by, reason=reason)
        band_rows = {band.code: band for band in target.bands.all()}
        for code, values in (bands or {}).items():
            for name, value in values.items():
                setattr(band_rows[code], name, value)
            save_governed(band_rows[code], by=by, reason=reason)
        for (likelihood, impact), code in (cells or {}).items():
            if code not in band_rows:
                raise ValidationError(f"There is no band {code!r} in {target}.")
            cell = BandCell.objects.filter(scheme=target, likelihood=likelihood, impact=impact).first() or BandCell(
                scheme=target, likelihood=likelihood, impact=impact
            )
            cell.band = band_rows[code]
            save_governed(cell, by=by, reason=reason)
        category_rows = {c.code: c for c in target.categories.all()}
        for code, values in (categories or {}).items():
            for name, value in values.items():
                setattr(category_rows[code], name, value)
            save_governed(category_rows[code], by=by, reason=reason)
        scheme_check(target)
    return target


def current_scheme() -> RiskScheme:
    scheme = RiskScheme.objects.filter(is_current=True).order_by("name").first()
    if scheme is None:
        raise ValidationError("No current risk scheme is set up; an administrator must make one current.")
    return scheme


# --- Prioritisation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImpactInput:
    category: RiskCategory
    impact: int
    rationale: str = ""


def assessment_record(
    *,
    project,
    likelihood: int,
    impacts: list[ImpactInput],
    by,
    assessed_on: date,
    confidence: str = "medium",
    mandatory: bool = False,
    notes: str = "",
    scheme: RiskScheme | None = None,
    when: datetime | None = None,
) -> PriorityAssessment:
    """Assess how much it would matter if `project` were not progressed. Earlier assessments are kept."""
    scheme = scheme or current_scheme()
    spec = scheme_spec(scheme)
    errors: dict[str, list[str]] = {}
    if likelihood not in spec.likelihoods:
        errors["likelihood"] = [
            f"Likelihood must be one of {', '.join(map(str, spec.likelihoods))}; {likelihood} is not."
        ]
    top = max(spec.impacts)
    seen = set()
    for item in impacts:
        key = f"impact_{item.category.code}"
        if item.category.scheme_id != scheme.pk:
            errors.setdefault(key, []).append(
                f"{item.category.name} belongs to another scheme ({item.category.scheme})."
            )
        if not 0 <= item.impact <= top:
            errors.setdefault(key, []).append(f"Impact must be from 0 (none) to {top}; {item.impact} is not.")
        if item.category.pk in seen:
            errors.setdefault(key, []).append(f"{item.category.name} is scored twice.")
        seen.add(item.category.pk)
    if errors:
        raise ValidationError(errors)
    reason = f"Prioritisation assessment of {project.name}"
    with transaction.atomic():
        assessment = save_governed(
            PriorityAssessment(
                project=project,
                scheme=scheme,
                assessed_on=assessed_on,
                likelihood=likelihood,
                confidence=confidence,
                mandatory=mandatory,
                notes=notes,
                assessed_by=by,
                **({"created_at": when} if when else {}),
            ),
            by=by,
            reason=reason,
            when=when,
        )
        for item in impacts:
            save_governed(
                PriorityImpact(
                    assessment=assessment, category=item.category, impact=item.impact, rationale=item.rationale
                ),
                by=by,
                reason=reason,
                when=when,
            )
    return assessment


# --- The register --------------------------------------------------------------------------------------------

SCORE_KINDS = ("inherent", "current", "target")


def corporate_register() -> Register:
    register = Register.objects.filter(level=RegisterLevel.CORPORATE).first()
    if register is None:
        raise ValidationError("There is no corporate risk register; an administrator must create one.")
    return register


def programme_register(programme, *, by=None) -> Register:
    """The programme's own register, made the first time it is needed."""
    register = Register.objects.filter(level=RegisterLevel.PROGRAMME, programme=programme).first()
    if register is None:
        register = save_governed(
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
    return register


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
        return save_governed(risk, by=by, reason=reason, when=when)


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
    unknown = set(changes) - set(RISK_EDITABLE)
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
        errors["reviewed_on"] = [f"A review cannot be before the risk was raised ({risk.raised_on:%d/%m/%Y})."]
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
            {"due_date": f"An action cannot be due before the risk was raised ({risk.raised_on:%d/%m/%Y})."}
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
            {"due_date": f"An action cannot be due before the risk was raised ({action.risk.raised_on:%d/%m/%Y})."}
        )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(action, name, value)
        if action.status == ActionStatus.DONE and action.completed_on is None:
            action.completed_on = timezone.localdate()
        return save_governed(action, by=by, reason=reason, when=when)


# --- Escalation ----------------------------------------------------------------------------------------------


def escalation_target(risk: Risk, *, open_if_needed: bool = False) -> Register | None:
    """The register a risk escalates to: a project's to its programme's, a programme's to the corporate one.
    A programme register that does not exist yet is opened only when a proposal needs it."""
    register = risk.register
    if register.level == RegisterLevel.PROJECT:
        programme = register.project.workstream.programme
        if open_if_needed:
            return programme_register(programme)
        return Register.objects.filter(level=RegisterLevel.PROGRAMME, programme=programme).first()
    if register.level == RegisterLevel.PROGRAMME:
        return corporate_register()
    return None


def escalation_suggested(risk: Risk) -> list[str]:
    """Why the scheme's defaults suggest escalating this risk (empty when they do not)."""
    scheme, score = risk.scheme, risk.current_score
    reasons = []
    if risk.register.level == RegisterLevel.PROJECT:
        if score >= scheme.project_escalation_score:
            reasons.append(f"Current score {score} is {scheme.project_escalation_score} or more.")
        if score > risk.category.tolerance:
            reasons.append(
                f"Outside appetite: {score} is above the {risk.category.name} tolerance of {risk.category.tolerance}."
            )
    elif risk.register.level == RegisterLevel.PROGRAMME:
        if score >= scheme.programme_escalation_score:
            reasons.append(f"Current score {score} is {scheme.programme_escalation_score} or more.")
        if risk.category.escalates_on_major_impact and risk.current_impact >= scheme.programme_escalation_impact:
            reasons.append(f"Impact {risk.current_impact} in {risk.category.name}.")
    return reasons


def _current_category(category: RiskCategory) -> RiskCategory:
    """The same category in the current scheme (a risk scored on an older version keeps its own)."""
    current = current_scheme()
    if category.scheme_id == current.pk:
        return category
    match = current.categories.filter(code=category.code).first()
    if match is None:
        raise ValidationError(f"The current scheme has no {category.name} category; link to an existing risk instead.")
    return match


def escalation_propose(*, risk: Risk, reason: str, by, when: datetime | None = None) -> Escalation:
    require_reason(reason)
    target = escalation_target(risk, open_if_needed=True)
    if target is None:
        raise ValidationError("A corporate risk has no higher register to go to.")
    if risk.status != RiskStatus.OPEN:
        raise ValidationError("Only an open risk can be escalated.")
    if risk.contributes_to_id:
        raise ValidationError(f"{risk.reference} already contributes to {risk.contributes_to.reference}.")
    if risk.escalations.filter(status=EscalationStatus.PROPOSED).exists():
        raise ValidationError(f"{risk.reference} already has an escalation waiting for a decision.")
    with transaction.atomic():
        return save_governed(
            Escalation(
                risk=risk, to_register=target, reason=reason, proposed_by=by, **({"proposed_at": when} if when else {})
            ),
            by=by,
            reason=reason,
            when=when,
        )


def escalation_accept(
    *,
    escalation: Escalation,
    by,
    decision_reason: str,
    link_to: Risk | None = None,
    new_title: str = "",
    when: datetime | None = None,
) -> Risk:
    """Accept an escalated risk: link it to an existing risk of the receiving register, or to a new one raised
    there. The lower-level risk stays open in its own register and points to the risk it contributes to."""
    require_reason(decision_reason)
    if escalation.status != EscalationStatus.PROPOSED:
        raise ValidationError("This escalation has already been decided.")
    lower = escalation.risk
    if link_to is not None:
        if link_to.register_id != escalation.to_register_id or link_to.status != RiskStatus.OPEN:
            raise ValidationError({"link_to": f"Choose an open risk in {escalation.to_register}."})
    elif not new_title.strip():
        raise ValidationError({"new_title": "Name the new risk, or choose an existing one to link to."})
    with transaction.atomic():
        if link_to is None:
            link_to = risk_raise(
                register=escalation.to_register,
                title=new_title.strip(),
                category=_current_category(lower.category),
                scores=Scores(
                    (lower.inherent_likelihood, lower.inherent_impact),
                    (lower.current_likelihood, lower.current_impact),
                    (lower.target_likelihood, lower.target_impact),
                ),
                owner=by,
                cause=lower.cause,
                event=lower.event,
                effect=lower.effect,
                by=by,
                reason=f"Raised on accepting the escalation of {lower.reference}: {decision_reason}",
                raised_on=timezone.localdate(when) if when else None,
                when=when,
            )
        lower.contributes_to = link_to
        save_governed(lower, by=by, reason=f"Escalated to {link_to.reference}: {decision_reason}", when=when)
        escalation.status, escalation.decided_by = EscalationStatus.ACCEPTED, by
        escalation.decided_at, escalation.decision_reason, escalation.linked_risk = (
            when or timezone.now(),
            decision_reason,
            link_to,
        )
        save_governed(escalation, by=by, reason=decision_reason, when=when)
    return link_to


def escalation_return(*, escalation: Escalation, by, decision_reason: str, when: datetime | None = None) -> Escalation:
    if not (decision_reason or "").strip():
        raise ValidationError({"decision_reason": "Say why the risk is returned; the proposer will see it."})
    if escalation.status != EscalationStatus.PROPOSED:
        raise ValidationError("This escalation has already been decided.")
    with transaction.atomic():
        escalation.status, escalation.decided_by = EscalationStatus.RETURNED, by
        escalation.decided_at, escalation.decision_reason = when or timezone.now(), decision_reason
        return save_governed(escalation, by=by, reason=decision_reason, when=when)


# --- Dependencies --------------------------------------------------------------------------------------------


def dependency_add(
    *,
    from_project,
    by,
    to_project=None,
    external_name: str = "",
    external_kind: str = "",
    kind: str = DependencyKind.DELIVERABLE,
    description: str = "",
    owner=None,
    needed_by: date | None = None,
    reason: str = "Dependency recorded",
    when: datetime | None = None,
) -> Dependency:
    """Record what a project needs from another project of its programme, or from something outside it."""
    errors = {}
    external_name = external_name.strip()
    if (to_project is None) == (not external_name):
        errors["to_project"] = ["Choose another project, or name what outside the programme it depends on (not both)."]
    elif to_project is not None:
        if to_project.pk == from_project.pk:
            errors["to_project"] = ["A project cannot depend on itself."]
        elif to_project.workstream.programme_id != from_project.workstream.programme_id:
            errors["to_project"] = ["Choose a project in the same programme, or record it as outside the programme."]
    elif not external_kind:
        errors["external_kind"] = ["Say what kind of thing outside the programme this is."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return save_governed(
            Dependency(
                from_project=from_project,
                to_project=to_project,
                external_name=external_name,
                external_kind=external_kind if to_project is None else "",
                kind=kind,
                description=description,
                owner=owner,
                needed_by=needed_by,
            ),
            by=by,
            reason=reason,
            when=when,
        )


def dependency_update(*, dependency: Dependency, changes: dict, by, reason: str, when=None) -> Dependency:
    require_reason(reason)
    allowed = {"kind", "description", "owner", "status", "needed_by"}
    if set(changes) - allowed:
        raise ValidationError(f"These cannot be edited here: {', '.join(sorted(set(changes) - allowed))}.")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(dependency, name, value)
        return save_governed(dependency, by=by, reason=reason, when=when)
