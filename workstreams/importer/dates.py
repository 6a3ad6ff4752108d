"""Across the sheets: when each new item goes on record, and that nothing new precedes what it belongs to."""

from changeprog.effective import first_effective_dates
from workstreams.importer.checks import Checks
from workstreams.importer.plan import NewItem
from workstreams.importer.reading import day
from workstreams.models import (
    Programme,
    Project,
    Workstream,
)


def check(checks: Checks):
    """When each new item goes on record: its start date, or its first update if that is earlier, or today;
    a parent no later than its earliest child. A new item under an existing one may not precede it."""
    first_update: dict = {}
    for key, as_of in checks.plan.updates:
        first_update[key] = min(as_of, first_update.get(key, as_of))

    def earliest(*days):
        days = [d for d in days if d]
        return min(days) if days else None

    for key, item in checks.plan.projects.items():
        if isinstance(item, NewItem):
            item.effective = earliest(item.start, first_update.get(key))
    for key, item in checks.plan.workstreams.items():
        if isinstance(item, NewItem):
            children = [p.effective for k, p in checks.plan.projects.items() if k[:2] == key and isinstance(p, NewItem)]
            item.effective = earliest(item.start, first_update.get(key), *children)
    for code, item in checks.plan.programmes.items():
        if isinstance(item, NewItem):
            children = [
                w.effective for k, w in checks.plan.workstreams.items() if k[0] == code and isinstance(w, NewItem)
            ]
            item.effective = earliest(item.start, first_update.get((code,)), *children)
    for collection in (checks.plan.programmes, checks.plan.workstreams, checks.plan.projects):
        for item in collection.values():
            if isinstance(item, NewItem):
                item.effective = min(item.effective or checks.today, checks.today)
                started_later = item.start and item.closed_on and item.closed_on < item.start  # reported above
                if item.closed_on and item.closed_on < item.effective and not started_later:
                    checks.read.problem(
                        item.row, "Closed on", f"It closed before it was on record ({day(item.effective)})."
                    )
    _not_before_existing(checks, first_update)


def _not_before_existing(checks: Checks, first_update):
    existing = {
        Programme: [p for p in checks.plan.programmes.values() if isinstance(p, Programme)],
        Workstream: [w for w in checks.plan.workstreams.values() if isinstance(w, Workstream)],
        Project: [p for p in checks.plan.projects.values() if isinstance(p, Project)],
    }
    on_record = {model: first_effective_dates(model, [o.pk for o in objs]) for model, objs in existing.items()}

    def since(obj):
        return on_record[type(obj)].get(obj.pk)

    for children, parents, parent_of in (
        (checks.plan.workstreams, checks.plan.programmes, lambda key: key[0]),
        (checks.plan.projects, checks.plan.workstreams, lambda key: key[:2]),
    ):
        for key, item in children.items():
            parent = parents.get(parent_of(key))
            existing = parent is not None and not isinstance(parent, NewItem)
            if isinstance(item, NewItem) and existing and since(parent) and item.effective < since(parent):
                kind = type(parent)._meta.verbose_name.capitalize()
                checks.read.problem(
                    item.row, "Start date", f"{kind} {parent} is on record only from {day(since(parent))}."
                )
    subjects = {1: checks.plan.programmes, 2: checks.plan.workstreams, 3: checks.plan.projects}
    for (key, as_of), planned in checks.plan.updates.items():
        subject = subjects[len(key)].get(key[0] if len(key) == 1 else key)
        if isinstance(subject, Programme | Workstream | Project) and since(subject) and as_of < since(subject):
            for row in planned.rows:
                checks.read.problem(
                    row, "As of", f"{subject} is on record in ChangeProg only from {day(since(subject))}."
                )
