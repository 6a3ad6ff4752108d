"""No lost updates, for every governed record in every app: a form remembers the history row it was opened on
(its version), and a save over a later change is refused with what the other person changed, so they can
review it rather than overwrite it. `guarded` is the one step every edit goes through: lock the row, compare
versions, then save."""

from dataclasses import dataclass

from changeprog.effective import day_text, moment_text


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


class StaleEdit(Exception):
    """Raised by `guarded` when the record changed after the form was opened; carries what changed."""

    def __init__(self, conflict: "Conflict", locked):
        super().__init__(conflict.message(locked))
        self.conflict = conflict
        self.locked = locked
        self.version = current_version(locked)


def current_version(item) -> int | None:
    latest = item.history.order_by("-history_date", "-history_id").values_list("history_id", flat=True).first()
    return latest


def lock(instance):
    """`instance`'s row as it is now, locked until the transaction ends: a service that checks a state before
    changing it (decided yet? already superseded?) checks this, never a copy loaded before someone else acted."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


def guarded(instance, seen_version, perform):
    """Lock `instance`'s row, refuse (StaleEdit) if it changed after `seen_version`, else `perform(locked)`.
    Call it inside a transaction (the lock lasts until it ends). A form that did not say which version it saw
    (`seen_version` None) is not checked."""
    locked = lock(instance)
    conflict = conflict_since(locked, seen_version)
    if conflict:
        raise StaleEdit(conflict, locked)
    return perform(locked)


def seen_version_from(data) -> int | None:
    try:
        return int(data.get("seen_version") or "")
    except (TypeError, ValueError):
        return None


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
            changes.append((str(field.verbose_name).capitalize(), _display(change.old), _display(change.new)))
    user = latest.history_user
    return Conflict(
        who=(user.get_full_name() or user.get_username()) if user else "Someone",
        when=moment_text(latest.history_date),
        reason=latest.history_change_reason or "",
        changes=changes,
    )


def _display(value):
    if hasattr(value, "strftime"):
        return day_text(value)
    return value
