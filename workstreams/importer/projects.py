"""The Projects sheet: one row per project, matched by programme, workstream and name."""

from workstreams.importer.checks import Checks
from workstreams.importer.plan import NewItem
from workstreams.models import (
    Lifecycle,
)


def check(checks: Checks):
    for row in checks.read.rows("Projects"):
        code = checks.programme_for(row)
        ws_key = checks.workstream_for(row, code) if code else None
        name = checks.name(row)
        if not (ws_key and name):
            continue
        key = (*ws_key, name)
        if key in checks.plan.projects:
            checks.read.problem(row, "Name", f"{name} appears twice in {ws_key[1]}.")
            continue
        if key in checks.known_projects:
            checks.plan.projects[key] = checks.known_projects[key]
            continue
        start = checks.read.date(row, "Start date")
        baseline = checks.read.date(row, "Baseline end date")
        forecast = checks.read.date(row, "Forecast end date")
        if baseline and start and baseline < start:
            checks.read.problem(row, "Baseline end date", "The baseline end is before the start.")
        if forecast and start and forecast < start:
            checks.read.problem(row, "Forecast end date", "The forecast end is before the start.")
        lifecycle, closed_on = checks.lifecycle_and_closure(row)
        if closed_on and start and closed_on < start:
            checks.read.problem(row, "Closed on", "It closed before it started.")
        checks.plan.projects[key] = NewItem(
            row,
            {
                "name": name,
                "manager": checks.person(row, "Manager"),
                "start_date": start,
                "baseline_end_date": baseline,
                "forecast_end_date": forecast or baseline,
                "lifecycle": Lifecycle.ACTIVE if lifecycle == Lifecycle.CLOSED else lifecycle,
                "stage": checks.stage(row),
                "custom": checks.custom_values(row),
            },
            start=start,
            closed_on=closed_on,
        )
