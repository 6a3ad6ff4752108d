"""Escalation: proposing a risk to the register above, accepting it there or sending it back.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeprog.concurrency import lock
from changeprog.governance import require_reason, save_governed
from changeprog.people import person_name
from risks.models import (
    Escalation,
    EscalationStatus,
    Register,
    RegisterLevel,
    Risk,
    RiskCategory,
    RiskStatus,
)
from risks.services.register import Scores, corporate_register, programme_register, risk_raise
from risks.services.schemes import current_scheme


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
    with transaction.atomic():
        risk = lock(risk)  # two proposals at once: the second waits, then sees the first
        if risk.status != RiskStatus.OPEN:
            raise ValidationError("Only an open risk can be escalated.")
        if risk.contributes_to_id:
            raise ValidationError(f"{risk.reference} already contributes to {risk.contributes_to.reference}.")
        target = escalation_target(risk, open_if_needed=True)
        if target is None:
            raise ValidationError("A corporate risk has no higher register to go to.")
        if risk.escalations.filter(status=EscalationStatus.PROPOSED).exists():
            raise ValidationError(f"{risk.reference} already has an escalation waiting for a decision.")
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
    if link_to is None and not new_title.strip():
        raise ValidationError({"new_title": "Name the new risk, or choose an existing one to link to."})
    with transaction.atomic():
        escalation = _undecided(escalation)
        lower = lock(escalation.risk)
        if link_to is not None:
            link_to = lock(link_to)
            if link_to.register_id != escalation.to_register_id or link_to.status != RiskStatus.OPEN:
                raise ValidationError({"link_to": f"Choose an open risk in {escalation.to_register}."})
        else:
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
    with transaction.atomic():
        escalation = _undecided(escalation)
        escalation.status, escalation.decided_by = EscalationStatus.RETURNED, by
        escalation.decided_at, escalation.decision_reason = when or timezone.now(), decision_reason
        return save_governed(escalation, by=by, reason=decision_reason, when=when)


def _undecided(escalation: Escalation) -> Escalation:
    """The escalation as it is now, locked; refused if someone has decided it meanwhile."""
    current = lock(escalation)
    if current.status != EscalationStatus.PROPOSED:
        who = person_name(current.decided_by)
        raise ValidationError(
            f"This escalation has already been {current.get_status_display().lower()}"
            f"{f' by {who}' if who else ''}; nothing was changed."
        )
    return current
