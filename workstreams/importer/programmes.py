"""The Programmes sheet: one row per programme, matched by code; a code already in ChangeProg adds nothing."""

from workstreams.importer.checks import Checks
from workstreams.importer.plan import NewItem
from workstreams.importer.reading import CODE_MAX


def check(checks: Checks):
    for row in checks.read.rows("Programmes"):
        code = row.text("Code")
        if code in checks.plan.programmes:
            checks.read.problem(row, "Code", f"Programme {code} appears twice.")
            continue
        if not code:
            continue
        if code in checks.existing_programmes:
            checks.plan.programmes[code] = checks.existing_programmes[code]
            continue
        if len(code) > CODE_MAX or not code.replace("-", "").replace("_", "").isalnum():
            checks.read.problem(
                row, "Code", f"A code is up to {CODE_MAX} letters, digits, hyphens or underscores, with no spaces."
            )
        start = checks.read.date(row, "Start date")
        checks.plan.programmes[code] = NewItem(
            row,
            {
                "code": code,
                "name": checks.name(row),
                "organisation": row.text("Organisation"),
                "start_date": start,
                "custom": checks.custom_values(row),
            },
            start=start,
        )
