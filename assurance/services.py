"""Writes for assurance and value. Each keeps its history with who and why, through `save_governed`."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assurance.models import (
    BusinessCase,
    CaseDecision,
    CaseStatus,
    Decision,
    DecisionStatus,
    Driver,
    DriverLink,
    Evidence,
    FundingLine,
)
from changeprog.concurrency import lock
from changeprog.effective import day_text
from changeprog.governance import require_reason, save_governed
from workstreams.models import Project, Workstream


def _item_fields(item) -> dict:
    if isinstance(item, Project):
        return {"project": item, "workstream": None}
    if isinstance(item, Workstream):
        return {"workstream": item, "project": None}
    raise ValidationError("Choose a workstream or a project.")


def delete_governed(instance, *, by, reason: str):
    """Delete `instance`; its history keeps a last row naming who removed it and why."""
    require_reason(reason)
    instance._history_user = by
    instance._change_reason = reason
    instance.delete()


# --- Drivers and evidence -----------------------------------------------------------------------------------


def driver_save(*, driver: Driver, by, reason: str, when: datetime | None = None) -> Driver:
    require_reason(reason)
    return save_governed(driver, by=by, reason=reason, when=when)


def driver_link(*, driver: Driver, item, note: str = "", by, reason: str, when=None) -> DriverLink:
    require_reason(reason)
    with transaction.atomic():
        return save_governed(
            DriverLink(driver=driver, note=note, **_item_fields(item)), by=by, reason=reason, when=when
        )


def driver_unlink(*, link: DriverLink, by, reason: str):
    delete_governed(link, by=by, reason=reason)


def evidence_add(
    *, driver: Driver, summary: str, provided_on: date, link: str = "", upload=None, by, reason: str = "", when=None
) -> Evidence:
    """Record evidence for a driver: words and a date, with a link or a file (checked by the form first)."""
    if provided_on > timezone.localdate():
        raise ValidationError({"provided_on": "Evidence cannot be dated in the future."})
    evidence = Evidence(driver=driver, summary=summary, provided_on=provided_on, link=link, added_by=by)
    if upload is not None:
        evidence.file_name = upload.name[-200:]
        evidence.file = upload
    with transaction.atomic():
        return save_governed(evidence, by=by, reason=reason or "Evidence added", when=when)


def evidence_accept(*, evidence: Evidence, on: date, by, reason: str = "", when=None) -> Evidence:
    with transaction.atomic():
        evidence = lock(evidence)  # accepted by someone else meanwhile: say so, change nothing
        if evidence.accepted:
            raise ValidationError("This evidence has already been accepted.")
        evidence.accepted_by = by
        evidence.accepted_on = on
        return save_governed(evidence, by=by, reason=reason or "Evidence accepted", when=when)


# --- Business cases -----------------------------------------------------------------------------------------

CASE_FIELDS = ["title", "scope", "timescales", "benefits", "options", "resourcing"]


class FrozenCase(ValidationError):
    """An approved business case never changes; a change is a new version."""


def _refuse_if_frozen(case: BusinessCase):
    if case.is_frozen:
        raise FrozenCase(
            f"{case} is {case.get_status_display().lower()} and cannot be changed. Make a new version to change it."
        )


def _save_funding(case, funding, *, by, reason, when):
    """Replace the case's funding lines with `funding`: [(year, kind, amount), ...]."""
    for line in list(case.funding.all()):
        delete_governed(line, by=by, reason=reason)
    for year, kind, amount in funding:
        save_governed(FundingLine(case=case, year=year, kind=kind, amount=amount), by=by, reason=reason, when=when)


def case_create(
    *, programme, title: str, by, reason: str, workstreams=(), funding=(), when=None, **fields
) -> BusinessCase:
    require_reason(reason)
    with transaction.atomic():
        case = BusinessCase(programme=programme, title=title, created_by=by, **fields)
        if when:
            case.created_at = when
        save_governed(case, by=by, reason=reason, when=when)
        _set_workstreams(case, workstreams, by=by, reason=reason, when=when)
        _save_funding(case, funding, by=by, reason=reason, when=when)
    return case


def _set_workstreams(case, workstreams, *, by, reason, when):
    wrong = [w for w in workstreams if w.programme_id != case.programme_id]
    if wrong:
        raise ValidationError({"workstreams": "A case covers workstreams of its own programme only."})
    case._history_user, case._change_reason = by, reason
    if when:
        case._history_date = when
    case.workstreams.set(workstreams)


def case_update(*, case: BusinessCase, changes: dict, by, reason: str, workstreams=None, funding=None) -> BusinessCase:
    require_reason(reason)
    with transaction.atomic():
        case = BusinessCase.objects.select_for_update().get(pk=case.pk)
        _refuse_if_frozen(case)
        for name, value in changes.items():
            if name not in CASE_FIELDS:
                raise ValidationError(f"{name} cannot be edited here.")
            setattr(case, name, value)
        save_governed(case, by=by, reason=reason)
        if workstreams is not None:
            _set_workstreams(case, workstreams, by=by, reason=reason, when=None)
        if funding is not None:
            _save_funding(case, funding, by=by, reason=reason, when=None)
    return case


def case_decide(
    *, case: BusinessCase, outcome: str, on: date, by, board=None, by_name: str = "", conditions: str = "", when=None
) -> CaseDecision:
    """Record a step of the decision trail. Submitting is open to a draft (or a deferred case); an outcome
    needs a submitted case. Approval freezes the case and supersedes the version before it."""
    with transaction.atomic():
        case = BusinessCase.objects.select_for_update().get(pk=case.pk)
        _refuse_if_frozen(case)
        if outcome == CaseStatus.SUBMITTED:
            if case.status not in (CaseStatus.DRAFT, CaseStatus.DEFERRED):
                raise ValidationError({"outcome": "Only a draft or deferred case can be submitted."})
            if board is None:
                raise ValidationError({"board": "Say which board the case is submitted to."})
        elif case.status != CaseStatus.SUBMITTED:
            raise ValidationError({"outcome": "Record the submission to a board before its outcome."})
        decision = save_governed(
            CaseDecision(
                case=case, outcome=outcome, on=on, board=board, by_name=by_name, conditions=conditions, recorded_by=by
            ),
            by=by,
            reason=f"{CaseStatus(outcome).label} on {day_text(on)}",
            when=when,
        )
        case.status = outcome
        save_governed(
            case, by=by, reason=f"{CaseStatus(outcome).label}{f': {conditions}' if conditions else ''}", when=when
        )
        if outcome in (CaseStatus.APPROVED, CaseStatus.CONDITIONAL) and case.previous_id:
            previous = case.previous
            previous.status = CaseStatus.SUPERSEDED
            save_governed(previous, by=by, reason=f"Superseded by version {case.version}", when=when)
        if outcome != CaseStatus.SUBMITTED:
            save_governed(
                Decision(
                    programme=case.programme,
                    board=board or _last_board(case),
                    title=f"Business case: {case}",
                    detail=conditions,
                    owner_name=by_name,
                    status=DecisionStatus.MADE,
                    decided_on=on,
                    outcome=CaseStatus(outcome).label,
                    case_decision=decision,
                ),
                by=by,
                reason="Business case decision",
                when=when,
            )
    return decision


def _last_board(case):
    submitted = case.decisions.filter(outcome=CaseStatus.SUBMITTED).select_related("board").last()
    return submitted.board if submitted else None


def case_new_version(*, case: BusinessCase, by, reason: str) -> BusinessCase:
    """Start the next version of a case from this one's words, unapproved."""
    require_reason(reason)
    with transaction.atomic():
        case = lock(case)  # two people starting the next version at once make one
        if BusinessCase.objects.filter(previous=case).exists():
            raise ValidationError("A later version of this case already exists.")
        return case_create(
            programme=case.programme,
            title=case.title,
            by=by,
            reason=reason,
            workstreams=list(case.workstreams.all()),
            funding=[(f.year, f.kind, f.amount) for f in case.funding.all()],
            version=case.version + 1,
            previous=case,
            **{name: getattr(case, name) for name in CASE_FIELDS if name != "title"},
        )


# --- Benefits, embedding, decisions ---------------------------------------------------------------------------


def item_record_save(*, record, item=None, by, reason: str, when=None):
    """Save a benefit, benefit measurement, embedding action or decision with its reason."""
    require_reason(reason)
    if item is not None:
        for name, value in _item_fields(item).items():
            setattr(record, name, value)
    with transaction.atomic():
        return save_governed(record, by=by, reason=reason, when=when)
