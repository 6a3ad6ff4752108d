"""No lost updates when recording a period's status (the general mechanism is changeprog.concurrency)."""

from changeprog.effective import day_text, moment_text
from changeprog.people import person_name

# --- Recording a period's status ---------------------------------------------------------------------------------
# A record form remembers the latest history row of the item's updates when it was opened. Recording over an
# update someone else recorded (or corrected) since is refused with what they recorded, so nobody replaces a
# colleague's Red with an Amber they never compared.


def updates_version(subject) -> int:
    """The latest history row of any of the item's updates; 0 when it has none."""
    from workstreams.models import StatusUpdate

    field = type(subject)._meta.model_name
    latest = (
        StatusUpdate.history.filter(**{f"{field}_id": subject.pk})
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return latest or 0


def update_conflict(subject, seen_version: int | None) -> str | None:
    """A message naming the update recorded or corrected after `seen_version`, or None if there was none (or
    the form did not say what it had seen)."""
    from workstreams.models import StatusUpdate

    if seen_version is None:
        return None
    latest = updates_version(subject)
    if latest == seen_version:
        return None
    row = StatusUpdate.history.select_related("history_user").get(history_id=latest)
    update = StatusUpdate.objects.filter(pk=row.id).prefetch_related("ratings__level", "ratings__dimension").first()
    user = row.history_user
    who = person_name(user) if user else "Someone"
    when = moment_text(row.history_date)
    verb = "recorded" if row.history_type == "+" else "changed"
    ratings = "; ".join(f"{r.dimension.name} {r.level.label}" for r in update.ratings.all()) if update else ""
    what = f"the update as at {day_text(row.as_of)}"
    return (
        f"{who} {verb} {what} at {when}, after you opened this form"
        f"{f': {ratings}' if ratings else ''}{f' ({row.reason})' if row.reason else ''}. "
        "Nothing of yours was saved; your input is kept below. Compare it with theirs and record again."
    )


def updates_versions(items) -> dict[tuple[str, int], int]:
    """`updates_version` for many items at once (one query): {(kind, pk): latest history row, 0 if none}."""
    from django.db.models import Max, Q

    from workstreams.models import StatusUpdate

    ids: dict[str, set[int]] = {}
    for item in items:
        ids.setdefault(type(item)._meta.model_name, set()).add(item.pk)
    versions = {(kind, pk): 0 for kind, pks in ids.items() for pk in pks}
    if not ids:
        return versions
    match = Q()
    for kind, pks in ids.items():
        match |= Q(**{f"{kind}_id__in": pks})
    rows = (
        StatusUpdate.history.filter(match)
        .order_by()
        .values("programme_id", "workstream_id", "project_id")
        .annotate(latest=Max("history_id"))
    )
    for row in rows:
        for kind in ("programme", "workstream", "project"):
            if row[f"{kind}_id"] is not None and (kind, row[f"{kind}_id"]) in versions:
                versions[(kind, row[f"{kind}_id"])] = row["latest"]
    return versions
