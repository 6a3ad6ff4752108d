"""No lost updates: a form remembers the history row it was opened on, and a save over a later change is
refused with what the other person changed, so they can review it rather than overwrite it."""

from dataclasses import dataclass

from django.utils import formats, timezone


@dataclass
class Conflict:
    who: str
    when: str
    reason: str
    changes: list[tuple[str, object, object]]

    def message(self, item) -> str:
        changed = "; ".join(f"{name}: {old or '(empty)'} → {new or '(empty)'}" for name, old, new in self.changes)
        return (
            f"{self.who} changed {item} at {self.when}, after you opened this form"
            f"{f' ({self.reason})' if self.reason else ''}. {changed or 'No field values changed.'} "
            "Nothing of yours was saved; your input is kept below. Review it and save again."
        )


def current_version(item) -> int | None:
    latest = item.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first()
    return latest


def conflict_since(item, seen_version: int | None) -> Conflict | None:
    """What changed on `item` since the history row `seen_version`, or None if nothing did."""
    if not seen_version:
        return None
    latest = item.history.order_by("-history_date", "-history_id").select_related("history_user").first()
    if latest is None or latest.history_id == seen_version:
        return None
    seen = item.history.filter(history_id=seen_version).first()
    changes = []
    if seen is not None:
        delta = latest.diff_against(seen, excluded_fields=["updated_at", "created_at"])
        for change in delta.changes:
            field = item._meta.get_field(change.field)
            changes.append((field.verbose_name.capitalize(), _display(change.old), _display(change.new)))
    user = latest.history_user
    return Conflict(
        who=(user.get_full_name() or user.get_username()) if user else "Someone",
        when=formats.date_format(timezone.localtime(latest.history_date), "j M Y, H:i"),
        reason=latest.history_change_reason or "",
        changes=changes,
    )


def _display(value):
    if hasattr(value, "strftime"):
        return formats.date_format(value, "j M Y")
    return value


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
    who = (user.get_full_name() or user.get_username()) if user else "Someone"
    when = formats.date_format(timezone.localtime(row.history_date), "j M Y, H:i")
    verb = "recorded" if row.history_type == "+" else "changed"
    ratings = "; ".join(f"{r.dimension.name} {r.level.label}" for r in update.ratings.all()) if update else ""
    what = f"the update as at {formats.date_format(row.as_of, 'j M Y')}"
    return (
        f"{who} {verb} {what} at {when}, after you opened this form"
        f"{f': {ratings}' if ratings else ''}{f' ({row.reason})' if row.reason else ''}. "
        "Nothing of yours was saved; your input is kept below. Compare it with theirs and record again."
    )
