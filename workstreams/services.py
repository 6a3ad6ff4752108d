"""Writes to the portfolio. Each service is one transaction, takes the acting user, and records why.

Every fact has an effective date (`effective`, default today): the day from which it is true, kept beside the
time it was recorded. The programme office may back-date a change; a tracker import takes the dates from the
file. Nothing may take effect before the item it concerns was on record, or before that item's latest fact
(`changeprog.effective`). Views never pass `when`: it dates the recording itself, for the demo and generated
portfolios, which simulate history as if it had been recorded as it happened.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from changeprog.effective import check_not_before, day_text, existed_from
from changeprog.governance import next_version, require_reason, save_governed
from changeprog.people import person_name
from changeprog.text import article
from workstreams import status_rules
from workstreams.models import (
    LevelMapping,
    Lifecycle,
    Milestone,
    Portfolio,
    PortfolioItem,
    PortfolioStatus,
    Programme,
    ProgrammeReview,
    Project,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusScale,
    StatusUpdate,
    Workstream,
)


@dataclass(frozen=True)
class RatingInput:
    dimension: StatusDimension
    level: StatusLevel
    reason: str = ""


def programme_create(
    *,
    code: str,
    name: str,
    by: AbstractBaseUser | None,
    reason: str,
    organisation: str = "",
    description: str = "",
    manager=None,
    start_date: date | None = None,
    baseline_end_date: date | None = None,
    cadence=None,
    stage=None,
    portfolio=None,
    custom: dict | None = None,
    import_batch=None,
    when: datetime | None = None,
    effective: date | None = None,
) -> Programme:
    """Create a programme with a copy of the organisation's default status dimensions, all on record from
    `effective` (default today)."""
    require_reason(reason)
    with transaction.atomic():
        programme = save_governed(
            Programme(
                code=code,
                name=name,
                organisation=organisation,
                description=description,
                manager=manager,
                start_date=start_date,
                baseline_end_date=baseline_end_date,
                forecast_end_date=baseline_end_date,
                cadence=cadence,
                stage=stage,
                portfolio=portfolio,
                custom=custom or {},
                import_batch=import_batch,
            ),
            by=by,
            reason=reason,
            when=when,
            effective=effective,
        )
        for default in StatusDimension.objects.filter(programme__isnull=True).order_by("order"):
            save_governed(
                StatusDimension(
                    programme=programme,
                    code=default.code,
                    name=default.name,
                    scale_id=default.scale_id,
                    order=default.order,
                    applies_to_programme=default.applies_to_programme,
                    applies_to_workstreams=default.applies_to_workstreams,
                    applies_to_projects=default.applies_to_projects,
                    not_reported_level_id=default.not_reported_level_id,
                ),
                by=by,
                reason=reason,
                when=when,
                effective=effective,
            )
    return programme


def workstream_create(
    *,
    programme: Programme,
    name: str,
    by,
    reason: str,
    when: datetime | None = None,
    effective: date | None = None,
    **fields,
) -> Workstream:
    require_reason(reason)
    if programme.lifecycle == Lifecycle.CLOSED:
        raise ValidationError({"programme": "A closed programme cannot take new workstreams."})
    if effective is not None and when is None:
        check_not_before(programme, effective, what="a workstream of it")
    fields.setdefault("forecast_end_date", fields.get("baseline_end_date"))
    with transaction.atomic():
        return save_governed(
            Workstream(programme=programme, name=name, **fields), by=by, reason=reason, when=when, effective=effective
        )


def project_create(
    *,
    workstream: Workstream,
    name: str,
    by,
    reason: str,
    when: datetime | None = None,
    effective: date | None = None,
    **fields,
) -> Project:
    require_reason(reason)
    if not workstream.is_open:
        raise ValidationError({"workstream": f"{workstream.name} is {workstream.get_lifecycle_display().lower()}."})
    if effective is not None and when is None:
        check_not_before(workstream, effective, what="a project in it")
    fields.setdefault("forecast_end_date", fields.get("baseline_end_date"))
    with transaction.atomic():
        return save_governed(
            Project(workstream=workstream, name=name, **fields), by=by, reason=reason, when=when, effective=effective
        )


def item_close(
    *,
    item: PortfolioItem,
    closed_on: date,
    closure_note: str,
    embedding_owner: str = "",
    by,
    reason: str,
    when: datetime | None = None,
    effective: date | None = None,
) -> PortfolioItem:
    """Close a workstream or project, recording how it closed and who embeds the change."""
    require_reason(reason)
    if item.lifecycle == Lifecycle.CLOSED:
        raise ValidationError({"lifecycle": f"{item} is already closed."})
    with transaction.atomic():
        item.lifecycle = Lifecycle.CLOSED
        item.closed_on = closed_on
        item.closure_note = closure_note
        item.embedding_owner = embedding_owner
        return save_governed(item, by=by, reason=reason, when=when, effective=effective)


def item_set_lifecycle(
    *,
    item: PortfolioItem,
    lifecycle: str,
    by,
    reason: str,
    when: datetime | None = None,
    effective: date | None = None,
    **fields,
) -> PortfolioItem:
    """Move an item to another lifecycle state (e.g. closing, with its planned closure date)."""
    require_reason(reason)
    if lifecycle == Lifecycle.CLOSED:
        raise ValidationError({"lifecycle": "Use the close action, which records the closure note and date."})
    with transaction.atomic():
        item.lifecycle = lifecycle
        for name, value in fields.items():
            setattr(item, name, value)
        return save_governed(item, by=by, reason=reason, when=when, effective=effective)


# What the edit forms may change, in the order they show it. Lifecycle, forecast and place have their own services.
EDITABLE_FIELDS = {
    Programme: [
        "code",
        "name",
        "organisation",
        "portfolio",
        "description",
        "stage",
        "manager",
        "start_date",
        "baseline_end_date",
    ],
    Workstream: [
        "name",
        "description",
        "stage",
        "lead",
        "order",
        "national",
        "start_date",
        "baseline_end_date",
        "planned_closure_date",
    ],
    Project: [
        "name",
        "description",
        "stage",
        "manager",
        "national",
        "start_date",
        "baseline_end_date",
        "planned_closure_date",
    ],
}


def item_update(*, item, changes: dict, by, reason: str, when: datetime | None = None, effective: date | None = None):
    """Edit a programme's, workstream's or project's details. Lifecycle, forecast and place have their own
    services; an agreed baseline is not edited (a re-plan keeps it)."""
    require_reason(reason)
    allowed = {*EDITABLE_FIELDS[type(item)], "custom"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"These cannot be edited here: {', '.join(sorted(unknown))}.")
    if item.baseline_end_date and changes.get("baseline_end_date", item.baseline_end_date) != item.baseline_end_date:
        raise ValidationError(
            {"baseline_end_date": "The agreed baseline cannot be edited; re-plan the forecast instead."}
        )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(item, name, value)
        if not isinstance(item, Programme) and item.forecast_end_date is None:
            item.forecast_end_date = item.baseline_end_date
        return save_governed(item, by=by, reason=reason, when=when, effective=effective)


def item_deprioritise(
    *, item: PortfolioItem, by, reason: str, when: datetime | None = None, effective: date | None = None
) -> PortfolioItem:
    """Stop work on an item for now; it stays in the portfolio, and can be reopened."""
    if not item.is_open:
        raise ValidationError({"lifecycle": f"{item} is already {item.get_lifecycle_display().lower()}."})
    return item_set_lifecycle(
        item=item, lifecycle=Lifecycle.DEPRIORITISED, by=by, reason=reason, when=when, effective=effective
    )


def item_reopen(
    *, item: PortfolioItem, by, reason: str, when: datetime | None = None, effective: date | None = None
) -> PortfolioItem:
    """Bring a closed or deprioritised item back to active. Its closure stays in the history."""
    if item.is_open:
        raise ValidationError({"lifecycle": f"{item} is {item.get_lifecycle_display().lower()}, not closed."})
    if isinstance(item, Project) and not item.workstream.is_open:
        raise ValidationError({"lifecycle": f"Its workstream {item.workstream.name} is not open; move it first."})
    return item_set_lifecycle(
        item=item, lifecycle=Lifecycle.ACTIVE, closed_on=None, by=by, reason=reason, when=when, effective=effective
    )


def item_replan(
    *,
    item: PortfolioItem,
    forecast_end_date: date,
    by,
    reason: str,
    when: datetime | None = None,
    effective: date | None = None,
):
    """Change the forecast end date. The baseline stays, so the slip remains visible."""
    require_reason(reason)
    with transaction.atomic():
        # The first agreed date becomes the baseline; with no earlier date known, there is no baseline to invent.
        if item.baseline_end_date is None and item.forecast_end_date is not None:
            item.baseline_end_date = item.forecast_end_date
        item.forecast_end_date = forecast_end_date
        return save_governed(item, by=by, reason=reason, when=when, effective=effective)


def project_move(
    *, project: Project, to: Workstream, by, reason: str, when: datetime | None = None, effective: date | None = None
) -> Project:
    """Move a project to another workstream of the same programme; the move is history, not a new project."""
    require_reason(reason)
    if to.programme_id != project.workstream.programme_id:
        raise ValidationError({"workstream": "A project can only move within its programme."})
    if not to.is_open:
        raise ValidationError(
            {"workstream": f"{to.name} is {to.get_lifecycle_display().lower()}; choose an open workstream."}
        )
    if effective is not None and when is None:
        check_not_before(to, effective, what=f"moving {project.name} into it")
    with transaction.atomic():
        project.workstream = to
        return save_governed(project, by=by, reason=reason, when=when, effective=effective)


def _subject_fields(subject) -> dict:
    if isinstance(subject, Programme):
        return {"programme": subject}
    if isinstance(subject, Workstream):
        return {"workstream": subject}
    if isinstance(subject, Project):
        return {"project": subject}
    raise TypeError(f"A status update is for a programme, workstream or project, not {type(subject).__name__}.")


def dimensions_for(subject):
    """The dimensions the subject reports on, in order."""
    if isinstance(subject, Programme):
        return StatusDimension.objects.filter(programme=subject, applies_to_programme=True)
    if isinstance(subject, Workstream):
        return StatusDimension.objects.filter(programme_id=subject.programme_id, applies_to_workstreams=True)
    return StatusDimension.objects.filter(programme_id=subject.workstream.programme_id, applies_to_projects=True)


def scales_on(dimension_ids, day: date) -> dict[int, int]:
    """{dimension id: id of the scale in force on `day`} (one query; see `StatusDimension.scale_on`)."""
    rows = StatusDimension.history.filter(id__in=list(dimension_ids)).order_by(
        "id", "effective_date", "history_date", "history_id"
    )
    chosen: dict[int, int] = {}
    for dimension_id, effective, scale_id in rows.values_list("id", "effective_date", "scale_id"):
        if dimension_id not in chosen or effective <= day:
            chosen[dimension_id] = scale_id
    return chosen


def existing_update_on(subject, as_of: date, *, exclude_pk=None) -> StatusUpdate | None:
    updates = StatusUpdate.objects.filter(**_subject_fields(subject), as_of=as_of).select_related("author")
    if exclude_pk:
        updates = updates.exclude(pk=exclude_pk)
    return updates.first()


class DuplicateUpdate(ValidationError):
    """Raised when the item already has an update for the date: the caller can offer to correct that one."""

    def __init__(self, existing: StatusUpdate):
        who = person_name(existing.author) if existing.author else "someone"
        super().__init__(
            {
                "as_of": f"There is already an update as at {day_text(existing.as_of)} for {existing.subject}, "
                f"recorded by {who}. Correct that update instead, or choose another date."
            }
        )
        self.existing = existing


def _check_status(
    *,
    subject,
    as_of: date,
    ratings: list[RatingInput],
    reason: str,
    backdated: bool = False,
    correcting: StatusUpdate | None = None,
    apply_rules: bool = True,
) -> dict:
    """The rules every recorded or corrected status obeys; raises one ValidationError naming each field.

    A status is dated no later than today and no earlier than the item was on record; each level belongs to
    the scale its dimension had in force on that date; a level that needs a reason has one; the item has no
    other update for that date; and a level that differs from its dimension's rule (`status_rules`) has a
    reason. Returns the rules' suggestions {dimension id: Suggestion}, for the ratings to keep.
    """
    if not backdated and as_of > timezone.localdate():
        raise ValidationError({"as_of": "A status cannot be recorded for a date in the future."})
    if not backdated:
        first = existed_from(subject)
        if first and as_of < first:
            raise ValidationError(
                {
                    "as_of": f"{subject} is on record from {day_text(first)}; a status cannot be dated before it. "
                    "Back-date the item first if it existed earlier."
                }
            )
    existing = existing_update_on(subject, as_of, exclude_pk=correcting.pk if correcting else None)
    if existing is not None:
        raise DuplicateUpdate(existing)
    allowed = {d.pk: d for d in dimensions_for(subject).select_related("scale")}
    in_force = scales_on(allowed, as_of)
    errors: dict[str, list[str]] = {}
    seen = set()
    for rating in ratings:
        key = f"rating_{rating.dimension.code}"
        if rating.dimension.pk not in allowed:
            errors.setdefault(key, []).append(f"{rating.dimension.name} is not reported for {subject}.")
            continue
        if rating.dimension.pk in seen:
            errors.setdefault(key, []).append(f"{rating.dimension.name} is rated twice.")
        seen.add(rating.dimension.pk)
        scale_id = in_force.get(rating.dimension.pk, rating.dimension.scale_id)
        if rating.level.scale_id != scale_id:
            scale = StatusScale.objects.get(pk=scale_id)
            errors.setdefault(key, []).append(
                f"{rating.level.label} is not a level of the {scale} scale that {rating.dimension.name} used on "
                f"{day_text(as_of)}."
            )
        elif rating.level.requires_reason and not (rating.reason.strip() or reason.strip()):
            errors.setdefault(key, []).append(
                f"{article(rating.level.label)} {rating.level.label} rating for {rating.dimension.name} needs a reason."
            )
    if errors:
        raise ValidationError(errors)
    if not apply_rules:
        return {}
    unchanged = frozenset()
    if correcting is not None:
        before = dict(correcting.ratings.values_list("dimension_id", "level_id"))
        unchanged = frozenset(r.dimension.pk for r in ratings if before.get(r.dimension.pk) == r.level.pk)
    return status_rules.check_against_rules(subject, as_of, ratings, reason, in_force, unchanged=unchanged)


def _computed(suggestions: dict, dimension_id: int) -> dict:
    found = suggestions.get(dimension_id)
    if found is None:
        return {"computed_level": None, "computed_explanation": ""}
    return {"computed_level": found.level, "computed_explanation": found.explanation}


def status_update_submit(
    *,
    subject: Programme | Workstream | Project,
    as_of: date,
    ratings: list[RatingInput],
    by,
    reason: str = "",
    progress: str = "",
    next_steps: str = "",
    issues: str = "",
    decisions_needed: str = "",
    import_batch=None,
    change_reason: str = "",
    when: datetime | None = None,
) -> StatusUpdate:
    """Record a period's status for one item. Everything is checked before anything is saved; an item has at
    most one update per date (recording again for that date is refused with the update to correct)."""
    # Loaded history (an import, the demo) is kept as the tracker said it; the rules judge what is recorded now.
    suggestions = _check_status(
        subject=subject,
        as_of=as_of,
        ratings=ratings,
        reason=reason,
        backdated=when is not None,
        apply_rules=when is None and import_batch is None,
    )
    change_reason = change_reason or reason.strip() or "Status recorded"
    with transaction.atomic():
        update = save_governed(
            StatusUpdate(
                **_subject_fields(subject),
                as_of=as_of,
                reason=reason,
                progress=progress,
                next_steps=next_steps,
                issues=issues,
                decisions_needed=decisions_needed,
                author=by,
                import_batch=import_batch,
                **({"created_at": when} if when else {}),
            ),
            by=by,
            reason=change_reason,
            when=when,
        )
        for rating in ratings:
            save_governed(
                StatusRating(
                    update=update,
                    dimension=rating.dimension,
                    level=rating.level,
                    reason=rating.reason,
                    **_computed(suggestions, rating.dimension.pk),
                ),
                by=by,
                reason=change_reason,
                when=when,
            )
    return update


@dataclass(frozen=True)
class NewWorkstream:
    name: str
    description: str = ""
    lead: object = None
    national: bool = False
    lifecycle: str = Lifecycle.PROPOSED


@dataclass(frozen=True)
class Closure:
    workstream: Workstream
    closure_note: str
    embedding_owner: str = ""


def portfolio_status_record(
    *,
    portfolio: Portfolio,
    level: StatusLevel,
    summary: str,
    by,
    as_of: date | None = None,
    difference_reason: str = "",
    when: datetime | None = None,
) -> PortfolioStatus:
    """Record a portfolio's own status for a day, keeping beside it what its programmes roll up to now
    (`selectors.portfolio_overview`); a level that differs from that roll-up needs its reason (the model's rule).
    One status per portfolio per day: a second is refused, never merged."""
    from workstreams.selectors import portfolio_overview

    overview = portfolio_overview(portfolio)
    status = PortfolioStatus(
        portfolio=portfolio,
        as_of=as_of or (timezone.localdate(when) if when else timezone.localdate()),
        level=level,
        summary=summary,
        difference_reason=difference_reason,
        rolled_up_level=overview.rollup,
        rolled_up_explanation=overview.explanation,
        recorded_by=by,
        **({"recorded_at": when} if when else {}),
    )
    with transaction.atomic():
        Portfolio.objects.select_for_update().get(pk=portfolio.pk)  # one recorder at a time per portfolio
        return save_governed(status, by=by, reason="Portfolio status recorded", when=when)


def programme_review(
    *,
    programme: Programme,
    held_on: date,
    reason: str,
    by,
    close: list[Closure] = (),
    open: list[NewWorkstream] = (),  # noqa: A002 - the review's own word
    moves: list[tuple[Project, Workstream | int]] = (),
    when: datetime | None = None,
) -> ProgrammeReview:
    """Restructure a programme in one step with one reason: open workstreams, move projects, close workstreams.

    A move's target is an existing workstream or the index of one in `open`. Everything is checked first; on
    any error nothing is saved.
    """
    require_reason(reason)
    errors: list[str] = []
    if when is None:
        if held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": "A review takes effect on the day it was held, which cannot be in the future."}
            )
        check_not_before(programme, held_on, what="a review of it", field="held_on")
    names = [n.name.strip() for n in open]
    existing = set(programme.workstreams.values_list("name", flat=True))
    for name in names:
        if not name:
            errors.append("Every new workstream needs a name.")
        elif name in existing or names.count(name) > 1:
            errors.append(f"There is already a workstream called {name}.")
    closing = {c.workstream.pk for c in close}
    for closure in close:
        if closure.workstream.programme_id != programme.pk:
            errors.append(f"{closure.workstream.name} is not in {programme.name}.")
        elif not closure.workstream.is_open:
            errors.append(f"{closure.workstream.name} is already {closure.workstream.get_lifecycle_display().lower()}.")
        if not closure.closure_note.strip():
            errors.append(f"Say how {closure.workstream.name} closed (a closure note).")
    moved = {}
    for project, target in moves:
        if project.workstream.programme_id != programme.pk:
            errors.append(f"{project.name} is not in {programme.name}.")
        if isinstance(target, int):
            if not 0 <= target < len(open):
                errors.append(f"{project.name} is moved to a new workstream that is not being opened.")
        elif target.pk in closing or not target.is_open:
            errors.append(f"{project.name} cannot move into {target.name}, which is closed or closing in this review.")
        elif target.programme_id != programme.pk:
            errors.append(f"{project.name} can only move within {programme.name}.")
        moved[project.pk] = target
    for closure in close:
        left = [
            p.name
            for p in closure.workstream.projects.all()
            if p.is_open and not isinstance(moved.get(p.pk), Workstream | int)
        ]
        if left:
            errors.append(f"{closure.workstream.name} still has open projects ({', '.join(left)}); move or close them.")
    if not (close or open or moves):
        errors.append("A review must close, open or move something.")
    if errors:
        raise ValidationError(errors)

    summary_lines = []
    with transaction.atomic():
        next_order = (max(programme.workstreams.values_list("order", flat=True), default=0) or 0) + 1
        created = []
        for offset, new in enumerate(open):
            created.append(
                workstream_create(
                    programme=programme,
                    name=new.name.strip(),
                    description=new.description,
                    lead=new.lead,
                    national=new.national,
                    lifecycle=new.lifecycle,
                    order=next_order + offset,
                    start_date=held_on,
                    by=by,
                    reason=reason,
                    when=when,
                    effective=held_on,
                )
            )
            summary_lines.append(f"Opened {new.name.strip()}.")
        for project, target in moves:
            destination = created[target] if isinstance(target, int) else target
            summary_lines.append(f"Moved {project.name} from {project.workstream.name} to {destination.name}.")
            project_move(project=project, to=destination, by=by, reason=reason, when=when, effective=held_on)
        for closure in close:
            item_close(
                item=closure.workstream,
                closed_on=held_on,
                closure_note=closure.closure_note,
                embedding_owner=closure.embedding_owner,
                by=by,
                reason=reason,
                when=when,
                effective=held_on,
            )
            summary_lines.append(f"Closed {closure.workstream.name}.")
        return save_governed(
            ProgrammeReview(
                programme=programme,
                held_on=held_on,
                reason=reason,
                summary="\n".join(summary_lines),
                performed_by=by,
                **({"created_at": when} if when else {}),
            ),
            by=by,
            reason=reason,
            when=when,
        )


def status_update_correct(
    *,
    update: StatusUpdate,
    as_of: date,
    ratings: list[RatingInput],
    by,
    correction_reason: str,
    reason: str = "",
    progress: str = "",
    next_steps: str = "",
    issues: str = "",
    decisions_needed: str = "",
) -> StatusUpdate:
    """Correct a recorded update in place: the same period, edited, with why in the history of every row."""
    if not (correction_reason or "").strip():
        raise ValidationError(
            {"correction_reason": "Say why this update is being corrected; it is kept in the history."}
        )
    suggestions = _check_status(subject=update.subject, as_of=as_of, ratings=ratings, reason=reason, correcting=update)
    with transaction.atomic():
        update.as_of, update.reason = as_of, reason
        update.progress, update.next_steps, update.issues, update.decisions_needed = (
            progress,
            next_steps,
            issues,
            decisions_needed,
        )
        save_governed(update, by=by, reason=correction_reason)
        existing = {r.dimension_id: r for r in update.ratings.all()}
        for rating in ratings:
            row = existing.pop(rating.dimension.pk, None)
            if row is None:
                row = StatusRating(update=update, dimension=rating.dimension)
            elif (row.level_id, row.reason) == (rating.level.pk, rating.reason):
                continue
            if row.level_id != rating.level.pk:
                # A new level is judged by its rule now; an unchanged one keeps what its rule said then.
                for name, value in _computed(suggestions, rating.dimension.pk).items():
                    setattr(row, name, value)
            row.level, row.reason = rating.level, rating.reason
            save_governed(row, by=by, reason=correction_reason)
        for row in existing.values():
            row._history_user = by
            row._change_reason = correction_reason
            row.delete()
    return update


# --- Status scales and dimensions --------------------------------------------------------------------------------


def scale_in_use(scale: StatusScale) -> bool:
    """A scale is in use once anything has been rated on one of its levels."""
    return StatusRating.objects.filter(level__scale=scale).exists()


def scale_new_version(*, scale: StatusScale, by, reason: str, when: datetime | None = None) -> StatusScale:
    """Copy a scale to its next version, which becomes current, with each copied level declared equivalent to
    the one it came from. The old version stays as it was, so every rating given on it reads the same forever."""
    require_reason(reason)
    with transaction.atomic():
        scale, copy = next_version(scale, by=by, reason=reason, when=when)
        for level in StatusLevel.objects.filter(scale=scale):
            old_pk = level.pk
            level.pk, level.scale = None, copy
            save_governed(level, by=by, reason=reason, when=when)
            save_governed(LevelMapping(from_level_id=old_pk, to_level=level), by=by, reason=reason, when=when)
    return copy


@dataclass(frozen=True)
class NewLevel:
    code: str
    label: str
    colour: str
    severity: int
    text_colour: str = "#FFFFFF"
    definition: str = ""
    is_rating: bool = True
    requires_reason: bool = False
    means_complete: bool = False


def scale_change(
    *,
    scale: StatusScale,
    by,
    reason: str,
    levels: dict[str, dict] | None = None,
    add: list[NewLevel] = (),
    effective: date | None = None,
    new_version: bool = False,
    **fields,
) -> StatusScale:
    """Change a scale: rename, recolour or re-order its levels (`levels` maps a level code to new values), add
    levels, or change its own name or description.

    A scale that has rated anything, or a change that takes effect on an earlier day (or `new_version`), is never
    edited in place: the change makes the next version, and every dimension on the old version moves to it from
    `effective` (default today). Returns the scale that holds the change.
    """
    require_reason(reason)
    levels = levels or {}
    backdated = effective is not None and effective < timezone.localdate()
    with transaction.atomic():
        versioned = new_version or backdated or scale_in_use(scale)
        target = scale_new_version(scale=scale, by=by, reason=reason) if versioned else scale
        for name, value in fields.items():
            setattr(target, name, value)
        if fields:
            save_governed(target, by=by, reason=reason)
        rows = {level.code: level for level in target.levels.all()}
        unknown = set(levels) - set(rows)
        if unknown:
            raise ValidationError(f"{scale} has no level with the code {', '.join(sorted(unknown))}.")
        # Severities may be swapped: move every changed level out of the way first (a step the history need not
        # keep), then into place.
        moving = [rows[code] for code, values in levels.items() if "severity" in values]
        for offset, level in enumerate(moving, start=1):
            level.severity = 30000 + offset
            level.skip_history_when_saving = True
            level.save(update_fields=["severity"])
            del level.skip_history_when_saving
        for code, values in levels.items():
            level = rows[code]
            for name, value in values.items():
                if name not in StatusLevel.VERSIONED_FIELDS + ("aliases",):
                    raise ValidationError(f"A level's {name} cannot be changed here.")
                setattr(level, name, value)
            save_governed(level, by=by, reason=reason)
        for new in add:
            save_governed(StatusLevel(scale=target, **new.__dict__), by=by, reason=reason)
        if versioned:
            for dimension in StatusDimension.objects.filter(scale=scale):
                dimension_set_scale(dimension=dimension, scale=target, by=by, reason=reason, effective=effective)
    return target


def check_dimension_scale(*, dimension: StatusDimension, scale: StatusScale, day: date):
    """Refuse a move that would leave ratings dated from `day` on a scale no longer in force for them."""
    stranded = StatusRating.objects.filter(dimension=dimension, update__as_of__gte=day).exclude(level__scale=scale)
    count = stranded.count()
    if count:
        first = stranded.order_by("update__as_of").values_list("update__as_of", flat=True).first()
        raise ValidationError(
            {
                "scale": f"{count} rating{'s' if count != 1 else ''} of {dimension.name} dated on or after "
                f"{day_text(day)} (the first on {day_text(first)}) use another scale. Correct them, or move the "
                "dimension from a later date."
            }
        )


def dimension_set_scale(
    *, dimension: StatusDimension, scale: StatusScale, by, reason: str, effective: date | None = None
) -> StatusDimension:
    """Move a dimension to another scale (or another version of its scale) from `effective` (default today).

    Ratings dated before then keep their levels on the old scale; ratings dated from then on must be on the new
    one, so a move that would strand later ratings on the old scale is refused (correct them, or choose a later
    date). A "not reported" state carries over to the level of the same code on the new scale.
    """
    require_reason(reason)
    check_dimension_scale(dimension=dimension, scale=scale, day=effective or timezone.localdate())
    with transaction.atomic():
        old_state = dimension.not_reported_level
        dimension.scale = scale
        if old_state is not None:
            dimension.not_reported_level = (
                scale.levels.filter(code=old_state.code, is_rating=False).first()
                if old_state.scale_id != scale.pk
                else old_state
            )
        return save_governed(dimension, by=by, reason=reason, effective=effective)


def status_dimension_save(
    *, dimension: StatusDimension, by, reason: str, when: datetime | None = None, effective: date | None = None
):
    """Add or change one of a programme's reporting dimensions. Moving an existing dimension to another scale
    goes through `dimension_set_scale`, which keeps the ratings already given consistent."""
    require_reason(reason)
    if dimension.pk is not None and when is None:
        before = StatusDimension.objects.filter(pk=dimension.pk).values_list("scale_id", flat=True).first()
        if before is not None and before != dimension.scale_id:
            scale = dimension.scale
            dimension.scale_id = before
            return dimension_set_scale(dimension=dimension, scale=scale, by=by, reason=reason, effective=effective)
    with transaction.atomic():
        return save_governed(dimension, by=by, reason=reason, when=when, effective=effective)


def milestone_save(
    milestone, *, by, reason: str, when: datetime | None = None, effective: date | None = None
) -> Milestone:
    """Create or change a milestone (its fields already set) with who and why; the model's rules hold (a complete
    one has its actual date, one name per item)."""
    require_reason(reason)
    return save_governed(milestone, by=by, reason=reason, when=when, effective=effective)
