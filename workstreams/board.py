"""The programme board: the programme picture as a live page, with what needs attention flagged.

Everything is computed from one `programme_overview` read and the rules in `workstreams.rules`, so filtering
never adds queries and the board counts exactly what the dashboard and the publish gate count.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from changeprog import custom_fields
from workstreams import rules
from workstreams.models import Lifecycle
from workstreams.scales import LevelCounts, LevelIndex, count_levels, matches_level
from workstreams.selectors import ItemStatus, ProgrammeOverview

FLAGS = rules.FLAGS


@dataclass
class Card:
    row: ItemStatus
    flags: list[str]
    own: list = field(default_factory=list)  # the own fields shown on cards, with this project's values

    @property
    def item(self):
        return self.row.item

    @property
    def headline(self):
        return self.row.headline

    @property
    def flag_labels(self):
        return [(code, FLAGS[code]) for code in self.flags]


@dataclass
class Column:
    workstream: ItemStatus
    flags: list[str]
    cards: list[Card] = field(default_factory=list)

    @property
    def headline(self):
        return self.workstream.headline

    @property
    def flag_labels(self):
        return [(code, FLAGS[code]) for code in self.flags]


@dataclass
class Board:
    overview: ProgrammeOverview
    day: date
    cadence: object
    columns: list[Column]
    hidden_workstreams: list
    project_dimension: object
    workstream_dimension: object
    counts: LevelCounts  # projects shown, by their headline level on the scale in force that day
    flag_counts: list[tuple[str, str, int]]  # every open item of the programme, as the dashboard and gate count
    programme_flags: list[str]
    own_fields: list = field(default_factory=list)
    attention: list = field(default_factory=list)  # rules.attention: every flagged open item, shown or not

    @property
    def programme_flag_labels(self):
        return [(code, FLAGS[code]) for code in self.programme_flags]

    @property
    def period_due(self):
        return rules.period_due(self.day, self.cadence)


def build_board(
    overview: ProgrammeOverview, *, day: date, cadence, levels, filters: dict, index: LevelIndex | None = None
) -> Board:
    """Lay the overview out as columns of cards, keeping only what matches `filters`.

    Filters (all optional): workstream (pk), lifecycle (a Lifecycle value), level (a level pk of the scale in
    force, or "none", on the project headline dimension), owner (user pk: project manager or workstream lead),
    flag (a FLAGS key). `levels` are the levels of the project headline dimension's scale in force on `day`.
    """
    index = index or LevelIndex()
    _, ws_dim, project_dim = overview.headline_dimensions
    found = rules.attention(overview, day, cadence)
    flags_of = {(f.kind, f.row.item.pk): f.flags for f in found}
    wanted_lifecycle = filters.get("lifecycle")
    on_cards = [f for f in custom_fields.fields_for("project") if f.on_board]
    own = custom_fields.table("project", [p.item for w in overview.workstreams for p in w.projects], fields=on_cards)
    columns, hidden = [], []
    for ws_row in overview.workstreams:
        ws = ws_row.item
        if filters.get("workstream") and ws.pk != filters["workstream"]:
            continue
        show_closed = wanted_lifecycle in {Lifecycle.CLOSED, Lifecycle.DEPRIORITISED}
        if not ws.is_open and not show_closed:
            hidden.append(ws)
            continue
        column = Column(ws_row, flags_of.get(("workstream", ws.pk), []))
        for row in ws_row.projects:
            card = Card(row, flags_of.get(("project", row.item.pk), []), own.cells(row.item) if on_cards else [])
            if _matches(card, ws, filters, index):
                column.cards.append(card)
        columns.append(column)

    cards = [card for column in columns for card in column.cards]
    flag_counts = Counter(code for f in found for code in f.flags)
    return Board(
        overview=overview,
        day=day,
        cadence=cadence,
        columns=columns,
        hidden_workstreams=hidden,
        project_dimension=project_dim,
        workstream_dimension=ws_dim,
        counts=count_levels((card.headline for card in cards), levels, index),
        flag_counts=[(code, label, flag_counts[code]) for code, label in FLAGS.items()],
        programme_flags=flags_of.get(("programme", overview.programme.pk), []),
        own_fields=on_cards,
        attention=found,
    )


def _matches(card: Card, workstream, filters: dict, index: LevelIndex) -> bool:
    item = card.item
    if filters.get("lifecycle") and item.lifecycle != filters["lifecycle"]:
        return False
    level = filters.get("level")
    if level == "none" and card.headline is not None:
        return False
    if level and level != "none" and not matches_level(card.headline, int(level), index):
        return False
    owner = filters.get("owner")
    if owner and owner not in {item.manager_id, workstream.lead_id}:
        return False
    return not (filters.get("flag") and filters["flag"] not in card.flags)
