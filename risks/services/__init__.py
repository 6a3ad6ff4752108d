"""Writes for risks, one module per part of the work: `schemes`, `prioritisation`, `register` (risks,
reviews and actions), `escalation` and `dependencies`.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving.
Callers import from `risks.services`; the modules are how the code is kept, not a second interface."""

from risks.services.dependencies import dependency_add, dependency_update
from risks.services.escalation import (
    escalation_accept,
    escalation_propose,
    escalation_return,
    escalation_suggested,
    escalation_target,
)
from risks.services.prioritisation import ImpactInput, assessment_record
from risks.services.register import (
    RISK_EDITABLE,
    SCORE_KINDS,
    Scores,
    action_add,
    action_update,
    corporate_register,
    programme_register,
    risk_close,
    risk_raise,
    risk_review,
    risk_update,
)
from risks.services.schemes import (
    current_scheme,
    scheme_change,
    scheme_check,
    scheme_in_use,
    scheme_new_version,
    scheme_spec,
)

__all__ = [
    "ImpactInput",
    "RISK_EDITABLE",
    "SCORE_KINDS",
    "Scores",
    "action_add",
    "action_update",
    "assessment_record",
    "corporate_register",
    "current_scheme",
    "dependency_add",
    "dependency_update",
    "escalation_accept",
    "escalation_propose",
    "escalation_return",
    "escalation_suggested",
    "escalation_target",
    "programme_register",
    "risk_close",
    "risk_raise",
    "risk_review",
    "risk_update",
    "scheme_change",
    "scheme_check",
    "scheme_in_use",
    "scheme_new_version",
    "scheme_spec",
]
