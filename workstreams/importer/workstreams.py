"""The Workstreams sheet: one row per workstream, matched by programme and name."""

from workstreams.importer.checks import Checks
from workstreams.importer.plan import NewItem
from workstreams.models import (
    Lifecycle,
)


def check(checks: Checks):
    for row in checks.read.rows("Workstreams"):
        code, name = checks.programme_for(row), checks.name(row)
        if not (code and name):
            continue
        key = (code, name)
        if key in checks.plan.workstreams:
            checks.read.problem(row, "Name", f"{name} appears twice in programme {code}.")
            continue
        if key in checks.known_workstreams:
            checks.plan.workstreams[key] = checks.known_workstreams[key]
            continue
        start = checks.read.date(row, "Start date")
        lifecycle, closed_on = checks.lifecycle_and_closure(row)
        if closed_on and start and closed_on < start:
            checks.read.problem(row, "Closed on", "It closed before it started.")
        checks.plan.workstreams[key] = NewItem(
            row,
            {
                "name": name,
                "order": row.number - 1,  # the file's order: the board shows them as the tracker lists them
                "lead": checks.person(row, "Lead"),
                "start_date": start,
                "lifecycle": Lifecycle.ACTIVE if lifecycle == Lifecycle.CLOSED else lifecycle,
                "stage": checks.stage(row),
                "custom": checks.custom_values(row),
            },
            start=start,
            closed_on=closed_on,
        )
