"""Computed and rolled-up status: the one home of the rules a dimension's rating can be worked out by, as data
(`StatusRule`), and of what a rating that differs from its rule must carry.

A rule gives a level and always says why: "Amber: 18 of 110 actions overdue, rule ‘any overdue → Amber’". The
methods:

- **worst** of its children: a programme's workstreams, a workstream's projects (open ones, by their latest
  update on or before the day, on the same dimension; states that are not ratings are left out);
- **share** of its children at or above a level, against thresholds in per cent;
- **measure** against thresholds: a count (or, with `as_share`, a percentage of its total). Measures are
  registered by the app that knows the data: `criteria-outside` and `days-past-forecast` here, `overdue-actions`
  by the risks app (`register_measure`), since the portfolio sits below the risks in the layers.

Recording a status (`services._check_status`) evaluates the rules of the item's dimensions: where the level
chosen differs from the rule's, a reason is required, and every rating keeps the level and explanation its rule
gave (`StatusRating.computed_level`, `computed_explanation`), so history keeps computed ratings like manual ones
and the board, dashboard, publish gate and papers can show the difference with its reason (`rules.item_flags`).
Loaded history (a tracker import, the demo) is recorded as the tracker said: rules judge the present.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from changeprog.effective import day_text
from workstreams.models import (
    OPEN_LIFECYCLES,
    Programme,
    Project,
    RuleMethod,
    StatusLevel,
    StatusRating,
    StatusRule,
    Workstream,
)


@dataclass(frozen=True)
class Reading:
    """What a measure found: its value, the total it is out of (if any), and the words for it."""

    value: Decimal
    total: int | None
    text: str


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    read: Callable  # (subject, day, rule, entered: {dimension code: StatusLevel}) -> Reading | None


MEASURES: dict[str, Measure] = {}


def register_measure(code: str, label: str, read: Callable):
    MEASURES[code] = Measure(code, label, read)


@dataclass(frozen=True)
class Suggestion:
    rule: StatusRule
    level: StatusLevel
    explanation: str


def kind_of(subject) -> str:
    return {Programme: "programme", Workstream: "workstream", Project: "project"}[type(subject)]


def rules_for(subject) -> dict[int, StatusRule]:
    """{dimension id: rule} for the dimensions of the subject's programme that have a rule for its kind."""
    programme_id = (
        subject.pk
        if isinstance(subject, Programme)
        else (subject.programme_id if isinstance(subject, Workstream) else subject.workstream.programme_id)
    )
    rules = StatusRule.objects.filter(dimension__programme_id=programme_id, applies_to=kind_of(subject))
    return {rule.dimension_id: rule for rule in rules.select_related("dimension")}


def evaluate(subject, day: date, entered: dict[str, StatusLevel], scales: dict[int, int], *, rules=None) -> dict:
    """{dimension id: Suggestion} for each rule of the subject's dimensions that gives a level on `day`.
    `entered` is the levels being recorded ({dimension code: level}), which criteria are read from; `scales` is
    {dimension id: scale id in force on the day}; `rules` the subject's rules if already read."""
    rules = rules_for(subject) if rules is None else rules
    if not rules:
        return {}
    levels = {
        (level.scale_id, level.code): level
        for level in StatusLevel.objects.filter(
            scale_id__in=set(scales.values()) | {r.dimension.scale_id for r in rules.values()}
        )
    }
    found = {}
    for dimension_id, rule in rules.items():
        scale_id = scales.get(dimension_id, rule.dimension.scale_id)

        def level(code, scale_id=scale_id):
            return levels.get((scale_id, code))

        suggestion = _apply(rule, subject, day, level, entered)
        if suggestion is not None:
            found[dimension_id] = suggestion
    return found


def suggest(subject, day: date) -> dict[int, Suggestion]:
    """What each rule gives for the subject on `day` before anything is entered (for a form to show and start
    from); rules that read the levels being entered (criteria) give nothing yet. No query without rules."""
    rules = rules_for(subject)
    if not rules:
        return {}
    from workstreams.services import dimensions_for, scales_on

    dimension_ids = list(dimensions_for(subject).values_list("pk", flat=True))
    return evaluate(subject, day, {}, scales_on(dimension_ids, day), rules=rules)


def _apply(rule: StatusRule, subject, day: date, level, entered_by_code) -> Suggestion | None:
    if rule.method == RuleMethod.WORST:
        return _worst(rule, subject, day, level)
    if rule.method == RuleMethod.SHARE:
        reading = _share(rule, subject, day, level)
    else:
        measure = MEASURES.get(rule.measure)
        reading = measure.read(subject, day, rule, entered_by_code) if measure else None
    if reading is None:
        return None
    value = reading.value
    if rule.as_share and rule.method != RuleMethod.SHARE:
        if not reading.total:
            return None
        value = (reading.value * 100 / reading.total).quantize(Decimal("0.1"), ROUND_HALF_UP)
    reached = [code for minimum, code in rule.step_list if value >= minimum]
    code = reached[-1] if reached else rule.otherwise_code
    result = level(code) if code else None
    if result is None:
        return None
    return Suggestion(rule, result, f"{result.label}: {reading.text}, rule ‘{rule.name}’")


# --- Children ----------------------------------------------------------------------------------------------------


def _children_ratings(rule: StatusRule, subject, day: date) -> tuple[str, list[tuple[str, StatusLevel]]]:
    """(noun, [(child name, level)]) for the subject's open children rated on the rule's dimension by `day`."""
    from workstreams.selectors import latest_update_id

    if isinstance(subject, Programme):
        noun, field, children = "workstreams", "workstream", Workstream.objects.filter(programme=subject)
    else:
        noun, field, children = "projects", "project", Project.objects.filter(workstream=subject)
    children = children.filter(lifecycle__in=sorted(OPEN_LIFECYCLES)).annotate(
        latest_update_id=latest_update_id(field, day)
    )
    names = {row["latest_update_id"]: row["name"] for row in children.values("name", "latest_update_id")}
    ratings = StatusRating.objects.filter(
        update_id__in=[pk for pk in names if pk], dimension__code=rule.dimension.code
    ).select_related("level")
    return noun, [(names[r.update_id], r.level) for r in ratings if r.level.is_rating]


def _worst(rule: StatusRule, subject, day: date, level) -> Suggestion | None:
    noun, rated = _children_ratings(rule, subject, day)
    if not rated:
        return None
    worst = max(rated, key=lambda pair: pair[1].severity)[1]
    result = level(worst.code)
    if result is None:
        return None
    at_worst = sorted(name for name, lv in rated if lv.severity == worst.severity)
    named = ", ".join(at_worst[:3]) + (f" and {len(at_worst) - 3} more" if len(at_worst) > 3 else "")
    text = f"the worst of {len(rated)} {noun if len(rated) != 1 else noun[:-1]} ({named} {worst.label})"
    return Suggestion(rule, result, f"{result.label}: {text}, rule ‘{rule.name}’")


def _share(rule: StatusRule, subject, day: date, level) -> Reading | None:
    noun, rated = _children_ratings(rule, subject, day)
    threshold = level(rule.level_code)
    if not rated or threshold is None:
        return None
    counted = sum(1 for _, lv in rated if lv.severity >= threshold.severity)
    share = (Decimal(counted) * 100 / len(rated)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Reading(
        share, None, f"{counted} of {len(rated)} {noun} ({share.normalize():f}%) at {threshold.label} or worse"
    )


# --- The portfolio's own measures --------------------------------------------------------------------------------


def _criteria_outside(subject, day, rule, entered) -> Reading | None:
    """How many of the rule's criteria (other dimensions, as rated in the same update) are at or above its level."""
    rated = [(code, entered[code]) for code in rule.criteria_codes if entered.get(code) is not None]
    if not rated:
        return None
    thresholds = {
        level.scale_id: level
        for level in StatusLevel.objects.filter(code=rule.level_code, scale_id__in={lv.scale_id for _, lv in rated})
    }
    outside = [
        code
        for code, lv in rated
        if lv.is_rating and lv.scale_id in thresholds and lv.severity >= thresholds[lv.scale_id].severity
    ]
    label = next(iter(thresholds.values())).label if thresholds else rule.level_code
    named = f" ({', '.join(outside)})" if outside else ""
    return Reading(
        Decimal(len(outside)), len(rated), f"{len(outside)} of {len(rated)} criteria at {label} or worse{named}"
    )


def _days_past_forecast(subject, day, rule, entered) -> Reading | None:
    end = getattr(subject, "forecast_end_date", None) or getattr(subject, "baseline_end_date", None)
    if end is None:
        return None
    if subject.lifecycle not in OPEN_LIFECYCLES or end >= day:
        return Reading(Decimal(0), None, f"on or before its forecast end ({day_text(end)})")
    days = (day - end).days
    return Reading(Decimal(days), None, f"{days} day{'s' if days != 1 else ''} past its forecast end ({day_text(end)})")


register_measure("criteria-outside", "Criteria outside tolerance", _criteria_outside)
register_measure("days-past-forecast", "Days past the forecast end", _days_past_forecast)


# --- Checking a rule ---------------------------------------------------------------------------------------------


def check_rule(rule: StatusRule):
    """Refuse a rule that cannot be evaluated: a method without what it needs, thresholds that do not read, a
    level code its dimension's scale does not have, a criterion that is not a dimension of the programme."""
    errors: dict[str, list[str]] = {}
    if not rule.dimension_id:
        return
    dimension = rule.dimension
    codes = set(dimension.scale.levels.values_list("code", flat=True))

    def need(field, message):
        errors.setdefault(field, []).append(message)

    if rule.method in (RuleMethod.WORST, RuleMethod.SHARE) and rule.applies_to == "project":
        need("method", "Projects have no children to roll up; choose a measure.")
    if rule.method == RuleMethod.MEASURE and rule.measure not in MEASURES:
        need("measure", f"Choose one of: {', '.join(sorted(MEASURES))}.")
    if rule.method != RuleMethod.MEASURE and rule.measure:
        need("measure", "Only a measure rule names a measure.")
    if rule.method != RuleMethod.WORST:
        lines = [line for line in rule.steps.splitlines() if line.strip()]
        if not lines:
            need("steps", "Give at least one threshold, e.g. “1 AMBER”.")
        for line in lines:
            parts = line.split()
            if len(parts) != 2 or not _is_number(parts[0]):
                need("steps", f"“{line.strip()}” is not a minimum and a level code, e.g. “1 AMBER”.")
            elif parts[1] not in codes:
                need("steps", f"{dimension.scale} has no level {parts[1]}.")
    elif rule.steps.strip() or rule.otherwise_code:
        need("steps", "The worst of the children needs no thresholds.")
    if rule.otherwise_code and rule.otherwise_code not in codes:
        need("otherwise_code", f"{dimension.scale} has no level {rule.otherwise_code}.")
    wants_level = rule.method == RuleMethod.SHARE or rule.measure == "criteria-outside"
    if wants_level and rule.level_code not in codes:
        need("level_code", f"Name the level of {dimension.scale} at or above which a rating counts.")
    if rule.measure == "criteria-outside":
        known = set(dimension.programme.dimensions.values_list("code", flat=True)) if dimension.programme_id else set()
        unknown = [c for c in rule.criteria_codes if c not in known]
        if not rule.criteria_codes:
            need("criteria", "List the dimension codes that are the criteria.")
        elif unknown:
            need("criteria", f"Not a dimension of this programme: {', '.join(unknown)}.")
        if dimension.code in rule.criteria_codes:
            need("criteria", "A dimension cannot be one of its own criteria.")
    if errors:
        raise ValidationError(errors)


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def check_against_rules(
    subject, as_of: date, ratings, reason: str, scales, *, unchanged=frozenset()
) -> dict[int, Suggestion]:
    """Evaluate the rules for a status being recorded and refuse a rating that differs from its rule without a
    reason (its own or the update's). `unchanged` holds dimension ids whose level a correction leaves as it was
    (not judged again). Returns the suggestions, for the ratings to keep."""
    suggestions = evaluate(subject, as_of, {r.dimension.code: r.level for r in ratings}, scales)
    errors = {}
    for rating in ratings:
        found = suggestions.get(rating.dimension.pk)
        if found is None or found.level.pk == rating.level.pk or rating.dimension.pk in unchanged:
            continue
        if not (rating.reason.strip() or reason.strip()):
            errors[f"rating_{rating.dimension.code}"] = [
                f"{rating.dimension.name} is rated {rating.level.label}, but its rule gives {found.explanation}. "
                "Say why you rate it otherwise."
            ]
    if errors:
        raise ValidationError(errors)
    return suggestions
