"""Prioritisation: recording a project's assessment against the scheme's impact descriptors.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from changeprog.governance import save_governed
from risks.models import (
    PriorityAssessment,
    PriorityImpact,
    RiskCategory,
    RiskScheme,
)
from risks.services.schemes import current_scheme, scheme_spec


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
