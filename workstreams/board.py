"""The programme board: the programme picture as a live page, with what needs attention flagged.

Everything is computed from one `programme_overview` read, so filtering never adds queries.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from workstreams.models import Lifecycle
from workstreams.selectors import ItemStatus, ProgrammeOverview

FLAGS = {
    "no-update": "No update this period",
    "missing-reason": "Needs a reason",
    "slipped": "Forecast past baseline",
    "overdue-closure": "Planned closure overdue",
}


def period_start(day: date) -> date:
    """Reporting periods are calendar months: an item should have an update dated in the current month."""
    return day.replace(day=1)


def item_flags(row: ItemStatus, *, day: date) -> list[str]:
    item, update = row.item, row.update
    flags = []
    if item.is_open and (update is None or update.as_of < period_start(day)):
        flags.append("no-update")
    if update and any(r.level.requires_reason and not r.explanation.strip() for r in update.ratings.all()):
        flags.append("missing-reason")
    if item.slipped_days:
        flags.append("slipped")
    if item.is_open and item.planned_closure_date and item.planned_closure_date < day:
        flags.append("overdue-closure")
    return flags


@dataclass
class Card:
    row: ItemStatus
    headline: object  # the rating on the headline dimension, or None
    flags: list[str]

    @property
    def item(self):
        return self.row.item

    @property
    def flag_labels(self):
        return [(code, FLAGS[code]) for code in self.flags]


@dataclass
class Column:
    workstream: ItemStatus
    headline: object
    flags: list[str]
    cards: list[Card] = field(default_factory=list)

    @property
    def flag_labels(self):
        return [(code, FLAGS[code]) for code in self.flags]


@dataclass
class Board:
    overview: ProgrammeOverview
    day: date
    columns: list[Column]
    hidden_workstreams: list
    project_dimension: object
    workstream_dimension: object
    level_counts: list[tuple[object, int]]
    unrated: int
    flag_counts: list[tuple[str, str, int]]


def _headline(row: ItemStatus, dimension):
    if dimension is None:
        return None
    return next((c.rating for c in row.cells if c.dimension.pk == dimension.pk), None)


def build_board(overview: ProgrammeOverview, *, day: date, levels, filters: dict) -> Board:
    """Lay the overview out as columns of cards, keeping only what matches `filters`.

    Filters (all optional): workstream (pk), lifecycle (a Lifecycle value), level (a level pk or "none" on the
    project headline dimension), owner (user pk: project manager or workstream lead), flag (a FLAGS key).
    """
    project_dim = overview.project_dimensions[0] if overview.project_dimensions else None
    ws_dim = overview.workstream_dimensions[0] if overview.workstream_dimensions else None
    wanted_lifecycle = filters.get("lifecycle")
    columns, hidden = [], []
    for ws_row in overview.workstreams:
        ws = ws_row.item
        if filters.get("workstream") and ws.pk != filters["workstream"]:
            continue
        show_closed = wanted_lifecycle in {Lifecycle.CLOSED, Lifecycle.DEPRIORITISED}
        if not ws.is_open and not show_closed:
            hidden.append(ws)
            continue
        column = Column(ws_row, _headline(ws_row, ws_dim), item_flags(ws_row, day=day))
        for row in ws_row.projects:
            card = Card(row, _headline(row, project_dim), item_flags(row, day=day))
            if _matches(card, ws, filters):
                column.cards.append(card)
        columns.append(column)

    cards = [card for column in columns for card in column.cards]
    counts = Counter(card.headline.level_id for card in cards if card.headline)
    flag_counts = Counter(code for card in cards for code in card.flags)
    return Board(
        overview=overview,
        day=day,
        columns=columns,
        hidden_workstreams=hidden,
        project_dimension=project_dim,
        workstream_dimension=ws_dim,
        level_counts=[(level, counts[level.pk]) for level in levels],
        unrated=sum(1 for card in cards if card.headline is None),
        flag_counts=[(code, label, flag_counts[code]) for code, label in FLAGS.items()],
    )


def _matches(card: Card, workstream, filters: dict) -> bool:
    item = card.item
    if filters.get("lifecycle") and item.lifecycle != filters["lifecycle"]:
        return False
    level = filters.get("level")
    if level == "none" and card.headline is not None:
        return False
    if level and level != "none" and (card.headline is None or card.headline.level_id != int(level)):
        return False
    owner = filters.get("owner")
    if owner and owner not in {item.manager_id, workstream.lead_id}:
        return False
    return not (filters.get("flag") and filters["flag"] not in card.flags)
