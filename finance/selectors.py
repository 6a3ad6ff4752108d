"""Reading money: an item's figures for a financial year (its own lines and, for a workstream or programme, its
children's, rolled up), by kind and by month, as at any date; the variance against the programme's tolerance
with its explanation; and the approved funding of the programme's business cases beside it. Fixed queries."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from changeprog.effective import Moment, rows_as_at
from finance.models import FinanceLine, MoneyKind, Tolerance
from finance.years import FinancialYear
from workstreams.models import Programme, Workstream, subject_scope

ZERO = Decimal(0)
PENNY = Decimal("0.01")


def pounds(value) -> str:
    """£1,234,567 (pence shown only when there are some)."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}".removesuffix(".00")


def scope(subject, *, rolled: bool = True) -> Q:
    """The lines of `subject` and (with `rolled`) of everything under it (`workstreams.models.subject_scope`)."""
    return subject_scope(subject, rolled=rolled)


def programme_of(subject) -> Programme:
    if isinstance(subject, Programme):
        return subject
    if isinstance(subject, Workstream):
        return subject.programme
    return subject.workstream.programme


def lines(moment: Moment | None = None):
    """Every finance line as it stands now, or as it stood at `moment` (from its history). Read through the
    item's present place in the hierarchy."""
    if moment is None:
        return FinanceLine.objects.all()
    return rows_as_at(FinanceLine.history.model, moment)


@dataclass
class Figures:
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    outturn: Decimal = ZERO  # actuals where recorded, forecasts for the rest

    @property
    def variance(self) -> Decimal:
        """Forecast outturn less budget: above nought is an overspend."""
        return self.outturn - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        return (self.variance * 100 / self.budget).quantize(Decimal("0.1")) if self.budget else None

    def add(self, other: "Figures"):
        self.budget += other.budget
        self.actual += other.actual
        self.outturn += other.outturn


# Sums named apart from the fields they add up (an annotation named like a field would shadow it).
SUMS = {"sum_budget": Sum("budget"), "sum_actual": Sum("actual"), "sum_outturn": Sum(Coalesce("actual", "forecast"))}


def _figures(row) -> Figures:
    return Figures(row["sum_budget"] or ZERO, row["sum_actual"] or ZERO, row["sum_outturn"] or ZERO)


@dataclass
class YearPosition:
    subject: object
    year: FinancialYear
    total: Figures
    by_kind: dict  # {kind: Figures}
    months: list  # [(first day, {kind: Figures}, Figures for both)]
    tolerance: Tolerance | None
    approved: dict = field(default_factory=dict)  # {kind: amount} from approved business cases (programmes only)

    @property
    def allowance(self) -> Decimal | None:
        return self.tolerance.allowance(self.total.budget) if self.tolerance else None

    @property
    def outside_tolerance(self) -> bool:
        return self.allowance is not None and self.total.variance > self.allowance

    @property
    def has_figures(self) -> bool:
        return any((self.total.budget, self.total.actual, self.total.outturn))

    @property
    def explanation(self) -> str:
        total, year = self.total, self.year
        if not self.has_figures:
            return f"No budget, actuals or forecast are recorded for {year}."
        over = total.variance
        words = f"{year}: forecast outturn {pounds(total.outturn)} against a budget of {pounds(total.budget)}, " + (
            f"{pounds(abs(over))} {'over' if over > 0 else 'under'}"
            + (f" ({abs(total.variance_percent)}%)" if total.variance_percent is not None else "")
            if over
            else "on budget"
        )
        if self.tolerance is None:
            return f"{words}; no tolerance is set for the programme."
        state = "outside" if self.outside_tolerance else "within"
        return f"{words}; {state} the tolerance of {pounds(self.allowance)} ({tolerance_words(self.tolerance)})."

    @property
    def rows(self) -> list[tuple]:
        """(kind's label, its Figures, its approved funding or None) for each kind."""
        return [(label, self.by_kind[code], self.approved.get(code)) for code, label in MoneyKind.choices]

    @property
    def approved_total(self) -> Decimal | None:
        return sum(self.approved.values(), ZERO) if self.approved else None


def tolerance_words(tolerance: Tolerance) -> str:
    parts = []
    if tolerance.percent is not None:
        parts.append(f"{tolerance.percent.normalize():f}% of budget")
    if tolerance.amount is not None:
        parts.append(pounds(tolerance.amount))
    return " or ".join(parts) + (", whichever is larger" if len(parts) == 2 else "")


def year_position(subject, year: FinancialYear, *, moment: Moment | None = None, rolled: bool = True) -> YearPosition:
    """The subject's money for `year`: by kind, by month and in total, with its programme's tolerance and (for a
    programme) the funding its approved business cases give for the year. Three to four queries."""
    rows = _year_lines(subject, year, moment, rolled=rolled).values("month", "kind").annotate(**SUMS)
    return _position(subject, year, rows)


def year_with_children(subject, year: FinancialYear, *, moment: Moment | None = None) -> tuple[YearPosition, list]:
    """`year_position`, and [(child, Figures)] for each of a programme's workstreams or a workstream's projects in
    their order (nought where it has none; none for a project), from one read of the subject's lines for the year
    (by month, kind and child): what the dashboard and the finance page show side by side. Four to five queries."""
    key = _child_key(subject)
    if key is None:
        return year_position(subject, year, moment=moment), []
    rows = list(
        _year_lines(subject, year, moment).annotate(child=key).values("month", "kind", "child").annotate(**SUMS)
    )
    found: dict = {}
    for row in rows:
        if row["child"] is not None:  # None: the subject's own lines
            found.setdefault(row["child"], Figures()).add(_figures(row))
    return _position(subject, year, rows), [(child, found.get(child.pk, Figures())) for child in _children(subject)]


def _year_lines(subject, year: FinancialYear, moment: Moment | None, *, rolled: bool = True):
    return (
        lines(moment)
        .filter(scope(subject, rolled=rolled), month__gte=year.first_day, month__lte=year.last_day)
        .order_by()
    )


def _position(subject, year: FinancialYear, rows) -> YearPosition:
    """A `YearPosition` from rows of sums by month and kind (more than one row of a month and kind is added up)."""
    by_month: dict = {month: {} for month in year.months()}
    by_kind = {kind: Figures() for kind in MoneyKind.values}
    total = Figures()
    for row in rows:
        figures = _figures(row)
        by_month[row["month"]].setdefault(row["kind"], Figures()).add(figures)
        by_kind[row["kind"]].add(figures)
        total.add(figures)
    months = []
    for month, kinds in by_month.items():
        both = Figures()
        for figures in kinds.values():
            both.add(figures)
        months.append((month, kinds, both))
    programme = programme_of(subject)
    tolerance = Tolerance.objects.filter(programme=programme).first()
    approved = approved_funding(programme, year) if isinstance(subject, Programme) else {}
    return YearPosition(subject, year, total, by_kind, months, tolerance, approved)


def approved_funding(programme, year: FinancialYear) -> dict:
    """{kind: amount} the programme's approved business cases (the latest approved version of each) give for
    `year`, as their funding lines write the year (2026/27)."""
    from assurance.models import CaseStatus, FundingLine

    approved = (
        FundingLine.objects.filter(
            case__programme=programme, case__status__in=[CaseStatus.APPROVED, CaseStatus.CONDITIONAL]
        )
        .filter(year__in=[str(year), f"{year.start}-{(year.start + 1) % 100:02d}"])
        .order_by()
        .values("kind")
        .annotate(amount=Sum("amount"))
    )
    return {row["kind"]: row["amount"] for row in approved}


def own_lines(subject, year: FinancialYear) -> dict:
    """{(month, kind): FinanceLine} of the subject's own lines in `year`, for its entry grid."""
    found = FinanceLine.objects.filter(
        scope(subject, rolled=False), month__gte=year.first_day, month__lte=year.last_day
    )
    return {(line.month, line.kind): line for line in found}


def years_with_figures(subject) -> list[FinancialYear]:
    """The financial years the subject (or anything under it) has lines in, earliest first."""
    months = FinanceLine.objects.filter(scope(subject)).order_by().values_list("month", flat=True).distinct()
    return sorted({FinancialYear.of(month) for month in months})


def tolerance_reading(subject, day, rule, entered):
    """The `finance-tolerance` status measure (`workstreams.status_rules`): the year's forecast overspend on
    `day`, as a percentage of what the programme's tolerance allows (100 is at the tolerance), with the
    position in words. Nothing to read without a tolerance or a budget."""
    from workstreams.status_rules import Reading

    position = year_position(subject, FinancialYear.of(day))
    allowance = position.allowance
    if not position.total.budget or allowance is None:
        return None
    over = max(position.total.variance, ZERO)
    share = (over * 100 / allowance).quantize(Decimal("1")) if allowance else (Decimal(100) if over else ZERO)
    return Reading(share, None, position.explanation.rstrip("."))


def _child_key(subject):
    """What names each line's child of `subject`: a programme's workstream (a project line's through its project),
    a workstream's project; None for a project, which has no children."""
    if isinstance(subject, Programme):
        # The key joins a project line to its project for its workstream; the filter reads the keys' indexes.
        return Coalesce("workstream_id", "project__workstream_id")
    if isinstance(subject, Workstream):
        return F("project_id")
    return None


def _children(subject) -> list:
    """A programme's workstreams or a workstream's projects, in their order."""
    from workstreams.models import Project

    if isinstance(subject, Programme):
        return list(Workstream.objects.filter(programme=subject).order_by("order", "name"))
    return list(Project.objects.filter(workstream=subject).order_by("name"))


def by_year(subject, *, moment: Moment | None = None) -> list[tuple[FinancialYear, Figures]]:
    """[(year, Figures)] for every financial year the subject (with everything under it) has figures in,
    earliest first. One query."""
    rows = lines(moment).filter(scope(subject)).order_by().values("month").annotate(**SUMS)
    years: dict = {}
    for row in rows:
        years.setdefault(FinancialYear.of(row["month"]), Figures()).add(_figures(row))
    return sorted(years.items())


def implications(position: YearPosition, years: list) -> str:
    """The Finance implications paragraph a paper starts from, drafted from the figures."""
    if not position.has_figures and not years:
        return "No budget, actuals or forecast are recorded for the programme yet."
    parts = [position.explanation]
    if position.approved:
        gap = position.total.outturn - position.approved_total
        against = f"{pounds(abs(gap))} {'above' if gap > 0 else 'below'} it" if gap else "equal to it"
        parts.append(
            f"Its approved business cases fund {pounds(position.approved_total)} for {position.year}; the forecast "
            f"outturn is {against}."
        )
    if len(years) > 1:
        budget = sum((figures.budget for _, figures in years), ZERO)
        outturn = sum((figures.outturn for _, figures in years), ZERO)
        parts.append(
            f"Across {years[0][0]} to {years[-1][0]} the budget is {pounds(budget)} and the forecast outturn "
            f"{pounds(outturn)}."
        )
    return " ".join(parts)
