"""Generated sections for money and the plan: the finance position with its Finance implications paragraph
(`finance.selectors`), milestones achieved since the last paper and planned next (`workstreams.milestones`), and
the roadmap picture with its table (`workstreams.roadmap`), each as at the meeting date."""

from datetime import timedelta

from changeprog.effective import Moment
from changeprog.people import person_name
from finance.selectors import by_year, implications, pounds, year_position
from finance.years import FinancialYear
from reporting.document import cell, day, paragraph, table
from reporting.sections.context import Context
from workstreams import milestones as milestone_reads
from workstreams.models import MilestoneStatus
from workstreams.roadmap import roadmap as draw_roadmap

# Without a comparison date a paper reports the milestones of the last quarter, and plans the next one.
QUARTER = timedelta(days=92)


def _moment(ctx: Context) -> Moment:
    return Moment(ctx.as_of)


def finance(ctx: Context) -> list[dict]:
    """The finance position for the meeting's financial year (budget, approved funding, actual to date, forecast
    outturn and variance by kind), every year's totals, and the Finance implications paragraph drafted from them."""
    year = FinancialYear.of(ctx.as_of)
    position = year_position(ctx.programme, year, moment=_moment(ctx))
    years = by_year(ctx.programme, moment=_moment(ctx))
    blocks = [paragraph(f"Finance implications: {implications(position, years)}")]
    if position.has_figures:
        columns = ["Kind", "Budget", *(["Approved funding"] if position.approved else []), "Actual to date",
                   "Forecast outturn", "Variance"]  # fmt: skip
        rows = []
        for label, figures, approved in position.rows:
            rows.append([cell(label), cell(pounds(figures.budget)), *([cell(pounds(approved))] if position.approved
                         else []), cell(pounds(figures.actual)), cell(pounds(figures.outturn)),
                         cell(pounds(figures.variance))])  # fmt: skip
        blocks.append(table(f"Finance position for {year} at {day(ctx.as_of)}", columns, rows))
    if len(years) > 1:
        blocks.append(
            table(
                "Budget and forecast outturn by financial year",
                ["Year", "Budget", "Actual", "Forecast outturn", "Variance"],
                [
                    [
                        cell(str(y)),
                        cell(pounds(f.budget)),
                        cell(pounds(f.actual)),
                        cell(pounds(f.outturn)),
                        cell(pounds(f.variance)),
                    ]
                    for y, f in years
                ],  # fmt: skip
            )
        )
    return blocks


def milestones(ctx: Context) -> list[dict]:
    """Milestones the committee must be told of: achieved since the comparison date (or in the last quarter),
    overdue at the meeting, and due in the next quarter."""
    since = ctx.since or ctx.as_of - QUARTER
    horizon = ctx.as_of + QUARTER
    found = list(milestone_reads.programme_milestones(ctx.programme, _moment(ctx)).filter(tell_committee=True))
    for milestone in found:
        milestone.item = milestone.project or milestone.workstream or milestone.programme
    done = [
        m
        for m in found
        if m.status == MilestoneStatus.COMPLETE and m.actual_date and since < m.actual_date <= ctx.as_of
    ]
    late = [m for m in found if milestone_reads.is_overdue(m, ctx.as_of)]
    next_up = [m for m in found if m.status == MilestoneStatus.PLANNED and ctx.as_of <= m.due_on <= horizon]
    if not (done or late or next_up):
        return [paragraph(f"No milestone for the committee was achieved since {day(since)}, is overdue, or falls due "
                          f"by {day(horizon)}.")]  # fmt: skip

    def late_by(m):
        return (m.actual_date - m.baseline_date).days if m.actual_date and m.baseline_date else 0

    blocks = []
    if done:
        blocks.append(table(
            f"Achieved since {day(since)}", ["Milestone", "Of", "Baseline", "Achieved", "Days late"],
            [[cell(m.name), cell(m.item.name), cell(day(m.baseline_date)), cell(day(m.actual_date)),
              cell(late_by(m) or "")] for m in done],
        ))  # fmt: skip
    if late:
        blocks.append(table(
            f"Overdue at {day(ctx.as_of)}", ["Milestone", "Of", "Baseline", "Forecast", "Owner"],
            [[cell(m.name), cell(m.item.name), cell(day(m.baseline_date)), cell(day(m.forecast_date) or "—"),
              cell(person_name(m.owner))] for m in late],
        ))  # fmt: skip
    if next_up:
        blocks.append(table(
            f"Due by {day(horizon)}", ["Milestone", "Of", "Baseline", "Forecast"],
            [[cell(m.name), cell(m.item.name), cell(day(m.baseline_date)), cell(day(m.forecast_date) or "—")]
             for m in next_up],
        ))  # fmt: skip
    return blocks


def roadmap(ctx: Context) -> list[dict]:
    """The roadmap picture as at the meeting and the table that says the same."""
    found = draw_roadmap(ctx.programme, day=ctx.as_of, moment=_moment(ctx))
    if not found.rows:
        return [paragraph(f"No open workstreams at {day(ctx.as_of)}.")]
    rows = [
        [cell(row.name), cell(day(row.start) or "—"), cell(day(row.baseline_end) or "—"),
         cell(day(row.forecast_end) or "—"), cell(len(row.milestones) or "")]
        for row in found.rows
    ]  # fmt: skip
    return [found.figure, table("The roadmap as a table", ["Name", "Start", "Baseline end", "Forecast end",
                                                             "Milestones"], rows)]  # fmt: skip
