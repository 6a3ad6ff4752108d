"""Dependencies between projects, within a programme or across programmes.

Each service is one transaction, takes the acting user and a reason, and checks everything before saving."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from changeprog.governance import require_reason, save_governed
from risks.models import (
    Dependency,
    DependencyKind,
)


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
