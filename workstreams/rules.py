"""What each figure means, defined once and used by every page, export and report: open, headline status, the
reporting period and "no update this period", stale, slipped and overdue, and the flags built from them.

- **Open**: proposed, active or closing (`OPEN_LIFECYCLES`); closed and deprioritised work is not open.
- **Headline status**: the rating an item's latest update gives on the *headline dimension*, the first of the
  dimensions that apply to that kind of item (programme, workstream or project), in the programme's order. If
  the latest update does not rate that dimension the headline is "Not rated", even when it rates others: the
  headline never silently switches to another dimension.
- **Reporting period**: set by a cadence (monthly, quarterly, every N weeks). On any day, the period *due* is the
  last whole period that ended before that day. An open item has **no update this period** when its latest
  update is dated before the start of the period due. For a meeting on 10 December with a monthly cadence the
  period due is November: an update dated 30 November counts. Its current status is then **stale**.
- **Rated otherwise than its rule**: a rating in the latest update differs from what its dimension's rule gave
  when it was recorded (`workstreams.status_rules`); the rating's reason says why.
- **Slipped**: the forecast end is later than the baseline end. **Overdue**: still open after its forecast end
  (or, without one, its baseline end) or its planned closure date.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, OuterRef, Q, Subquery

from workstreams.history import ratings_of
from workstreams.models import OPEN_LIFECYCLES, CadenceKind, ReportingCadence, StatusDimension, StatusRating

# --- Open ------------------------------------------------------------------------------------------------------


def open_q(prefix: str = "") -> Q:
    """Open work, in SQL: `prefix` reaches the item (e.g. "workstream__")."""
    return Q(**{f"{prefix}lifecycle__in": sorted(OPEN_LIFECYCLES)})


def is_open(item) -> bool:
    return item.lifecycle in OPEN_LIFECYCLES


# --- Headline status -------------------------------------------------------------------------------------------

KIND_FIELD = {
    "programme": "applies_to_programme",
    "workstream": "applies_to_workstreams",
    "project": "applies_to_projects",
}


def headline_dimension(dimensions):
    """The headline dimension among an item kind's dimensions (already in the programme's order)."""
    ordered = sorted(dimensions, key=lambda d: (d.order, d.name))
    return ordered[0] if ordered else None


def headline_of(cells, dimension):
    """The rating on the headline dimension among an item's cells, or None (not rated)."""
    if dimension is None:
        return None
    return next((cell.rating for cell in cells if cell.dimension.pk == dimension.pk), None)


def headline_rating_sql(kind: str, programme_path: str, value: str):
    """The same rule in SQL, for lists: `value` of the rating that the outer row's latest update (annotated as
    `latest_update_id`) gives on the headline dimension of its programme (reached by `programme_path`)."""
    dimension = (
        StatusDimension.objects.filter(programme_id=OuterRef(OuterRef(programme_path)), **{KIND_FIELD[kind]: True})
        .order_by("order", "name")
        .values("pk")[:1]
    )
    return Subquery(
        StatusRating.objects.filter(update_id=OuterRef("latest_update_id"), dimension_id=Subquery(dimension)).values(
            value
        )[:1]
    )


# --- The reporting period --------------------------------------------------------------------------------------

MONTHLY = ReportingCadence(name="Monthly", kind=CadenceKind.MONTHLY, deadline_days=5)


def default_cadence() -> ReportingCadence:
    """The organisation's default cadence (one query), or calendar months if none is marked default."""
    return ReportingCadence.objects.filter(is_default=True).first() or MONTHLY


def cadence_for(programme, board_cadence=None) -> ReportingCadence:
    """The cadence that applies: a board's own, else the programme's, else the organisation's default."""
    return board_cadence or programme.cadence or default_cadence()


def period_containing(day: date, cadence: ReportingCadence) -> tuple[date, date]:
    """The first and last day of the cadence's period that contains `day`."""
    if cadence.kind == CadenceKind.MONTHLY:
        start = day.replace(day=1)
        return start, _next_month(start) - timedelta(days=1)
    if cadence.kind == CadenceKind.QUARTERLY:
        start = day.replace(month=day.month - (day.month - 1) % 3, day=1)
        end = start
        for _ in range(3):
            end = _next_month(end)
        return start, end - timedelta(days=1)
    length = timedelta(weeks=cadence.every_weeks)
    start = cadence.anchor + length * ((day - cadence.anchor) // length)
    return start, start + length - timedelta(days=1)


def _next_month(first: date) -> date:
    return first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)


def period_due(day: date, cadence: ReportingCadence) -> tuple[date, date]:
    """The last whole period that ended before `day`: the one every open item must have reported on by then."""
    start, _ = period_containing(day, cadence)
    return period_containing(start - timedelta(days=1), cadence)


def update_deadline(meeting: date, cadence: ReportingCadence) -> date:
    return meeting - timedelta(days=cadence.deadline_days)


def needs_update(latest_as_of: date | None, day: date, cadence: ReportingCadence) -> bool:
    """No update this period: nothing dated in the period due or since."""
    return latest_as_of is None or latest_as_of < period_due(day, cadence)[0]


def needs_update_q(day: date, cadences: dict, *, programme: str, updated_since) -> Q:
    """`needs_update` in SQL, for rows whose programme's id is `programme`: `cadences` is {programme id: its
    cadence} (`cadences_of_programmes`) and `updated_since(start)` the condition "has an update dated on or after
    `start`" (an Exists on the item's updates: an index probe per item, where the latest date of each item would
    read its whole history)."""
    by_start: dict[date, list[int]] = {}
    for programme_id, cadence in cadences.items():
        by_start.setdefault(period_due(day, cadence)[0], []).append(programme_id)
    behind = Q(pk__in=[])
    for start, ids in by_start.items():
        behind |= Q(**{f"{programme}__in": ids}) & Q(~updated_since(start))
    return behind


def cadences_of_programmes(default: ReportingCadence | None = None) -> dict:
    """{programme id: the cadence its items report to} for every programme (one query, and one for the default
    cadence unless given)."""
    from workstreams.models import Programme

    default = default or default_cadence()
    return {p.pk: p.cadence or default for p in Programme.objects.select_related("cadence").only("pk", "cadence")}


# --- Dates -----------------------------------------------------------------------------------------------------


def is_slipped(item) -> bool:
    return bool(item.baseline_end_date and item.forecast_end_date and item.forecast_end_date > item.baseline_end_date)


def slipped_q() -> Q:
    return Q(forecast_end_date__gt=F("baseline_end_date"))


def is_overdue(item, day: date) -> bool:
    if not is_open(item):
        return False
    end = item.forecast_end_date or item.baseline_end_date
    closure = getattr(item, "planned_closure_date", None)
    return bool((end and end < day) or (closure and closure < day))


# --- Flags -----------------------------------------------------------------------------------------------------

FLAGS = {
    "no-update": "No update this period",
    "missing-reason": "Needs a reason",
    "slipped": "Forecast past baseline",
    "overdue": "Past its end date",
    "differs-from-rule": "Rated otherwise than its rule",
    "milestone-overdue": "Milestone overdue",
}


def item_flags(item, update, day: date, cadence: ReportingCadence) -> list[str]:
    """What needs attention on one open item (an item that is not open needs none)."""
    if not is_open(item):
        return []
    flags = []
    if needs_update(update.as_of if update else None, day, cadence):
        flags.append("no-update")
    ratings = ratings_of(update) if update else ()
    if any(r.level.requires_reason and not r.explanation.strip() for r in ratings):
        flags.append("missing-reason")
    if any(r.disagrees for r in ratings):
        flags.append("differs-from-rule")
    if is_slipped(item):
        flags.append("slipped")
    if is_overdue(item, day):
        flags.append("overdue")
    if getattr(item, "overdue_milestones", 0):
        flags.append("milestone-overdue")
    return flags


@dataclass
class Flagged:
    row: object  # an ItemStatus
    kind: str  # programme, workstream or project
    flags: list[str]


def attention(overview, day: date, cadence: ReportingCadence) -> list[Flagged]:
    """Every open item of the overview (the programme itself, its workstreams and their projects) with its flags:
    the one list the board, the dashboard and the publish gate count from. Each flagged row also keeps its
    flags (`row.flags`), so a page can mark it where it shows it."""
    from workstreams import milestones

    milestones.mark_overdue(overview, day)
    rows = []
    if overview.on_record:
        rows.append(
            Flagged(overview.status, "programme", item_flags(overview.programme, overview.status.update, day, cadence))
        )
    for ws in overview.workstreams:
        rows.append(Flagged(ws, "workstream", item_flags(ws.item, ws.update, day, cadence)))
        rows.extend(Flagged(p, "project", item_flags(p.item, p.update, day, cadence)) for p in ws.projects)
    for found in rows:
        found.row.flags = found.flags
    return [row for row in rows if row.flags]


def flagged(found: list[Flagged], flag: str) -> list[Flagged]:
    return [row for row in found if flag in row.flags]
