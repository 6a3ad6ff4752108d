"""What a checked file asks for: the new programmes, workstreams and projects with their dates, the existing ones
it names, and the updates, each tied to its item's key. The sheets' checkers build it; the writer saves it."""

from dataclasses import dataclass, field
from datetime import date

from workstreams.importer.reading import Row


@dataclass
class NewItem:
    """An item the file creates: its values, its dates, and where it was read (for problems)."""

    row: Row
    values: dict
    start: date | None = None
    closed_on: date | None = None
    closure: dict = field(default_factory=dict)
    effective: date | None = None  # on record from (worked out once every row is read)


@dataclass
class PlannedUpdate:
    key: tuple
    as_of: date
    ratings: list = field(default_factory=list)  # (dimension, level, reason)
    narrative: str = ""
    rows: list = field(default_factory=list)


@dataclass
class Plan:
    """What the file asks for, checked: new structure and the updates, each tied to its item's key."""

    programmes: dict = field(default_factory=dict)  # code -> Programme (existing) or NewItem
    workstreams: dict = field(default_factory=dict)  # (code, name) -> Workstream or NewItem
    projects: dict = field(default_factory=dict)  # (code, workstream, name) -> Project or NewItem
    updates: dict = field(default_factory=dict)  # (key, as_of) -> PlannedUpdate
    skipped: int = 0
