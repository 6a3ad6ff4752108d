"""The Updates sheet: one row per rating, grouped into one update per item and date; levels matched against the
scale each dimension had in force on the row's date; updates already recorded identically skipped."""

from collections import defaultdict
from datetime import date

from django.db.models import Q

from changeprog.people import person_name
from workstreams.importer.checks import Checks
from workstreams.importer.plan import PlannedUpdate
from workstreams.importer.reading import allowed, day
from workstreams.models import (
    Programme,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusUpdate,
)


def check(checks: Checks):
    defaults = list(
        StatusDimension.objects.filter(programme__isnull=True).select_related("scale", "not_reported_level")
    )
    levels = list(StatusLevel.objects.select_related("scale"))
    words = _level_index(levels)
    by_scale = defaultdict(list)
    for level in levels:
        by_scale[level.scale_id].append(level)
    per_programme: dict = {}

    def context(code):
        """The programme's dimensions, each one's scales over time, and its recorded updates, read once."""
        if code not in per_programme:
            programme = checks.plan.programmes[code]
            if isinstance(programme, Programme):
                dims = list(programme.dimensions.select_related("scale", "not_reported_level"))
                runs = _scale_runs([d.pk for d in dims])
                per_programme[code] = (dims, runs, _recorded_updates(programme))
            else:
                per_programme[code] = (defaults, {}, {})
        return per_programme[code]

    for row in checks.read.rows("Updates"):
        code = checks.programme_for(row)
        if not code:
            continue
        dims, runs, recorded = context(code)
        ws_name, project_name = row.text("Workstream"), row.text("Project")
        if project_name and not ws_name:
            checks.read.problem(row, "Workstream", "Name the project's workstream too.")
            continue
        if ws_name:
            ws_key = checks.workstream_for(row, code)
            if not ws_key:
                continue
            key, applies = (ws_key, "applies_to_workstreams")
            if project_name:
                key, applies = ((*ws_key, project_name), "applies_to_projects")
                if key not in checks.plan.projects and key not in checks.known_projects:
                    checks.read.problem(
                        row, "Project", f"{ws_name} has no project “{project_name}”; add it to Projects."
                    )
                    continue
                checks.plan.projects.setdefault(key, checks.known_projects.get(key))
        else:
            key, applies = ((code,), "applies_to_programme")
        as_of = checks.read.date(row, "As of")
        if as_of and as_of > checks.today:
            checks.read.problem(row, "As of", "A status cannot be dated in the future.")
        usable = [d for d in dims if getattr(d, applies)]
        word = row.text("Dimension")
        dimension = next((d for d in usable if word in (d.code, d.name)), None)
        if dimension is None:
            if word:
                checks.read.problem(row, "Dimension", f"Allowed values here: {allowed(d.name for d in usable)}.")
            continue
        scale_id = _scale_on(runs.get(dimension.pk), as_of, dimension.scale_id)
        level_word, reason, narrative = row.text("Level"), row.text("Reason"), row.text("Narrative")
        if level_word:
            level = words[scale_id].get(level_word)
            if level is None:
                scale = next((lv.scale for lv in by_scale[scale_id]), dimension.scale)
                labels = [lv.label for lv in by_scale[scale_id]]
                when = f", the scale in force on {day(as_of)}" if as_of else ""
                checks.read.problem(
                    row,
                    "Level",
                    f"“{level_word}” is not a level of {dimension.name} ({scale}{when}). "
                    f"Allowed values: {allowed(labels)} (or their codes and aliases).",
                )
                continue
        else:
            state = dimension.not_reported_level
            level = None
            if state is not None and (reason or narrative):
                level = next((lv for lv in by_scale[scale_id] if lv.code == state.code and not lv.is_rating), None)
            if level is None:
                hint = (
                    f" ({dimension.name} takes a row with a reason or narrative and no level as {state.label})"
                    if state
                    else ""
                )
                checks.read.problem(row, "Level", f"Give a level{hint}.")
                continue
        if level.requires_reason and not reason:
            checks.read.problem(row, "Reason", f"A rating of {level.label} needs a reason.")
        if not as_of:
            continue
        planned = checks.plan.updates.setdefault((key, as_of), PlannedUpdate(key, as_of))
        if any(d.pk == dimension.pk for d, _, _ in planned.ratings):
            checks.read.problem(row, "Dimension", f"{dimension.name} is rated twice for this item on this date.")
        planned.ratings.append((dimension, level, reason))
        planned.rows.append(row)
        if narrative and narrative not in planned.narrative:
            planned.narrative = f"{planned.narrative}\n\n{narrative}" if planned.narrative else narrative
    _against_recorded(checks, per_programme)


def _against_recorded(checks: Checks, per_programme):
    """An update already recorded for the same item and date is skipped when the file says exactly the same,
    and refused when it says something else."""
    for (key, as_of), planned in list(checks.plan.updates.items()):
        _, _, recorded = per_programme[key[0]]
        existing = recorded.get((key, as_of))
        if existing is None:
            continue
        wanted = {(d.code, level.pk, why) for d, level, why in planned.ratings}
        if wanted == existing["ratings"] and planned.narrative == existing["narrative"]:
            del checks.plan.updates[(key, as_of)]
            checks.plan.skipped += 1
            continue
        for row in planned.rows:
            checks.read.problem(
                row,
                "As of",
                f"This item already has an update as at {day(as_of)}, recorded by {existing['by']}, that says "
                "something else. Correct that update in ChangeProg, or remove these rows.",
            )


def _level_index(levels):
    """{scale id: {word: level}} for every label, code and alias, exactly as written."""
    index = defaultdict(dict)
    for level in levels:
        for word in [level.label, level.code, *level.aliases.splitlines()]:
            if word.strip():
                index[level.scale_id][word.strip()] = level
    return index


def _scale_runs(dimension_ids) -> dict[int, list[tuple[date, int]]]:
    """{dimension id: [(effective from, scale id)]} from the dimensions' history, in order."""
    runs = defaultdict(list)
    for dimension_id, effective, scale_id in (
        StatusDimension.history.filter(id__in=dimension_ids)
        .order_by("id", "effective_date", "history_date", "history_id")
        .values_list("id", "effective_date", "scale_id")
    ):
        runs[dimension_id].append((effective, scale_id))
    return runs


def _scale_on(runs, day, current_scale_id) -> int:
    """The scale in force on `day` from a dimension's runs (`StatusDimension.scale_on`, without a query)."""
    if not runs or day is None:
        return current_scale_id
    chosen = runs[0][1]
    for effective, scale_id in runs:
        if effective <= day:
            chosen = scale_id
    return chosen


def _recorded_updates(programme: Programme) -> dict:
    """{(item key, as_of): {"ratings": {(dimension code, level id, reason)}, "narrative", "by"}} for every
    update the programme and its work already have (three queries)."""
    updates = StatusUpdate.objects.filter(
        Q(programme=programme) | Q(workstream__programme=programme) | Q(project__workstream__programme=programme)
    ).select_related("workstream", "project__workstream", "author")
    found = {}
    by_id = {}
    for u in updates:
        if u.project_id:
            key = (programme.code, u.project.workstream.name, u.project.name)
        elif u.workstream_id:
            key = (programme.code, u.workstream.name)
        else:
            key = (programme.code,)
        author = person_name(u.author) if u.author else "someone"
        found[(key, u.as_of)] = by_id[u.pk] = {"ratings": set(), "narrative": u.progress, "by": author}

    for update_id, code, level_id, reason in StatusRating.objects.filter(update_id__in=list(by_id)).values_list(
        "update_id", "dimension__code", "level_id", "reason"
    ):
        by_id[update_id]["ratings"].add((code, level_id, reason))
    return found
