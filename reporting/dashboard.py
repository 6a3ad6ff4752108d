"""The executive dashboard: the programme on one page for chief officers, every figure linking to its items.

It is read from the same few selectors as the board, the risk register and "what changed", so it makes the
same number of queries however large the programme is.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from changeprog.effective import Moment
from changeprog.paginators import joined_after_limit
from finance.selectors import year_with_children
from finance.years import FinancialYear
from reporting.models import Report, ReportStatus
from risks.models import Register
from risks.selectors import cell_counts, heat_map, register_rows, register_rows_as_at, scheme_in_force
from risks.services import current_scheme
from workstreams import board as board_layout
from workstreams import milestones as milestone_reads
from workstreams import rules
from workstreams.changes import changes_between
from workstreams.scales import LevelIndex
from workstreams.selectors import levels_of, programme_overview, trends

TREND_PERIODS = 12
CLOSURE_HORIZON = timedelta(days=90)
TOP_RISKS = 5
CHANGES_SHOWN = 10


@dataclass
class DimensionTrend:
    dimension: object
    current: object  # the latest rating, or None
    trend: list  # (as_of, rating or None), oldest first
    as_of: object = None  # the date of the latest update
    stale: bool = False  # no update in the period due (`workstreams.rules`)


@dataclass
class Attention:
    """One list of items needing attention (e.g. slipped dates), with the board filter that shows them all."""

    title: str
    flag: str
    rows: list = field(default_factory=list)


@dataclass
class Dashboard:
    programme: object
    day: date
    cadence: object
    overview: object
    trends: list[DimensionTrend]
    project_dimension: object
    project_counts: object  # workstreams.scales.LevelCounts
    workstream_dimension: object
    workstream_levels: list[tuple[object, list]]  # (level or None, the open workstreams at it), worst first
    upcoming: list
    attention: list[Attention]
    last_report: Report | None
    changes: list
    change_counts: list[tuple[str, int]]
    change_total: int
    top_risks: list
    risk_counts: dict
    heat_rows: list
    register: Register | None
    money: object = None  # finance.selectors.YearPosition for the financial year of the day
    money_by_workstream: list = field(default_factory=list)  # [(workstream, Figures)]
    milestone_counts: dict = field(default_factory=dict)  # workstreams.milestones.overview_counts

    @property
    def period_due(self):
        return rules.period_due(self.day, self.cadence)


def _trends(programme, dimensions, as_at, *, day, cadence) -> list[DimensionTrend]:
    """Each programme dimension over the last twelve updates, from one read of those updates."""
    updates, points = trends(programme, dimensions, as_of=as_at, periods=TREND_PERIODS)
    latest = updates[-1].as_of if updates else None
    stale = rules.needs_update(latest, day, cadence)
    return [
        DimensionTrend(dimension, trend[-1][1] if trend else None, trend, latest, stale)
        for dimension, trend in zip(dimensions, points, strict=True)
    ]


def _shown_risks(risks):
    """The register's rows with only what the panel shows of each (its reference, title, score and band): the
    owner, workstream and project, and the other columns, are not joined or read."""
    return risks.select_related(None).select_related("register").only("id", "number", "title", "register__code")


def build_dashboard(programme, *, day: date, as_at: date | None = None) -> Dashboard:
    overview = programme_overview(programme, as_of=as_at)
    cadence = rules.cadence_for(overview.programme)
    _, ws_dimension, project_dimension = overview.headline_dimensions
    index = LevelIndex()
    project_levels = levels_of(project_dimension, index)
    board = board_layout.build_board(overview, day=day, cadence=cadence, levels=project_levels, filters={}, index=index)
    found = board.attention

    ws_by_level: dict = {}
    for column in board.columns:
        if column.workstream.item.is_open:
            level = column.headline.level if column.headline else None
            ws_by_level.setdefault(level, []).append(column.workstream)
    attention = [
        Attention(title, flag, [f.row for f in rules.flagged(found, flag)])
        for flag, title in (
            ("no-update", "No update this period"),
            ("slipped", "Slipped dates"),
            ("overdue", "Past its end date"),
            ("missing-reason", "Needs a reason"),
            ("differs-from-rule", "Rated otherwise than its rule"),
            ("milestone-overdue", "Milestones overdue"),
        )
    ]
    open_rows = [column.workstream for column in board.columns if column.workstream.item.is_open]
    open_rows += [card.row for column in board.columns for card in column.cards if card.item.is_open]
    upcoming = sorted(
        (
            row
            for row in open_rows
            if row.item.planned_closure_date and day <= row.item.planned_closure_date <= day + CLOSURE_HORIZON
        ),
        key=lambda row: row.item.planned_closure_date,
    )

    last_report = (
        Report.objects.filter(programme=programme, meeting_date__lt=day)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("board")
        .order_by("-meeting_date", "-pk")
        .first()
    )
    changed = changes_between(programme, last_report.meeting_date, day, index=index) if last_report else []
    directions = Counter(c.direction or c.kind_label for c in changed)

    register = Register.objects.filter(programme=programme).first()
    # As at a past date the panel shows the register and the scheme as they stood then.
    rows = register_rows_as_at(as_at) if as_at else register_rows()
    risks = rows.filter(register__programme=programme, status="open")
    risk_counts = risks.order_by().aggregate(total=Count("pk"), outside=Count("pk", filter=Q(outside_appetite=True)))
    heat_rows = heat_map(cell_counts(risks, "current"), scheme_in_force(as_at) if as_at else current_scheme())
    moment = Moment(as_at) if as_at else None
    money, money_by_workstream = year_with_children(programme, FinancialYear.of(day), moment=moment)
    return Dashboard(
        programme=programme,
        day=day,
        cadence=cadence,
        overview=overview,
        trends=_trends(programme, overview.programme_dimensions, as_at, day=day, cadence=cadence),
        project_dimension=project_dimension,
        project_counts=board.counts,
        workstream_dimension=ws_dimension,
        workstream_levels=sorted(
            ws_by_level.items(), key=lambda kv: (kv[0] is None, -(kv[0].severity if kv[0] else 0))
        ),
        upcoming=upcoming,
        attention=attention,
        last_report=last_report,
        changes=changed[:CHANGES_SHOWN],
        change_counts=sorted(directions.items(), key=lambda kv: (-kv[1], kv[0])),
        change_total=len(changed),
        top_risks=list(joined_after_limit(_shown_risks(risks).order_by("-current_score_db", "number"), 0, TOP_RISKS)),
        risk_counts=risk_counts,
        heat_rows=heat_rows,
        register=register,
        money=money,
        money_by_workstream=money_by_workstream,
        milestone_counts=milestone_reads.overview_counts(overview, day),
    )
