"""Risk scoring: the one place where scores, bands and the prioritisation of projects are computed.

It works on plain values (`Spec`), not on the database, so that the same rules score a register risk, rank a
project and can be checked exhaustively by property-based tests. `Spec.from_scheme` reads a stored scheme.

Prioritisation ranks projects by the risk of *not* progressing them (see docs/risk-defaults.md):

- peak = likelihood × the highest category impact, banded with the register's grid;
- breadth = how many categories have an impact of "major" or worse;
- weighted = likelihood + Σ weight × impact, with the category weights normalised to sum to 1;
- Red when breadth is at least half the categories, or the peak reaches the Red threshold, or the project is
  mandatory and its peak reaches the mandatory threshold; else Amber when the peak reaches the Amber threshold
  or breadth is at least 1; else Green/Yellow.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

RED, AMBER, GREEN_YELLOW = "red", "amber", "green-yellow"
PRIORITY_BANDS = {RED: "Red", AMBER: "Amber", GREEN_YELLOW: "Green/Yellow"}
PRIORITY_ORDER = {RED: 0, AMBER: 1, GREEN_YELLOW: 2}
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    severity: int  # higher is worse


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    weight: Decimal | Fraction | int = 1


@dataclass(frozen=True)
class Spec:
    """A risk scheme as values: the scales, the band grid, the categories and the prioritisation thresholds."""

    likelihoods: tuple[int, ...]
    impacts: tuple[int, ...]
    grid: dict[tuple[int, int], Band]  # (likelihood, impact) -> band
    categories: tuple[Category, ...]
    major_impact: int = 4
    red_peak: int = 15
    red_mandatory_peak: int = 12
    amber_peak: int = 8
    red_breadth_fraction: Fraction = Fraction(1, 2)

    @classmethod
    def from_scheme(cls, scheme) -> "Spec":
        """Read a stored RiskScheme whose levels, bands, cells and categories are prefetched or cheap to load."""
        bands = {b.pk: Band(b.code, b.name, b.severity) for b in scheme.bands.all()}
        return cls(
            likelihoods=tuple(sorted(level.score for level in scheme.likelihood_levels.all())),
            impacts=tuple(sorted(level.score for level in scheme.impact_levels.all())),
            grid={(c.likelihood, c.impact): bands[c.band_id] for c in scheme.cells.all()},
            categories=tuple(Category(c.code, c.name, c.weight) for c in scheme.categories.all()),
            major_impact=scheme.major_impact,
            red_peak=scheme.red_peak,
            red_mandatory_peak=scheme.red_mandatory_peak,
            amber_peak=scheme.amber_peak,
            red_breadth_fraction=Fraction(scheme.red_breadth_percent, 100),
        )


def score(likelihood: int, impact: int) -> int:
    return likelihood * impact


def band_for(spec: Spec, likelihood: int, impact: int) -> Band:
    return spec.grid[(likelihood, impact)]


def grid_problems(spec: Spec) -> list[str]:
    """Why a grid does not fit its scales: cells with no band, and cells for scores the scales do not have."""
    expected = {(lk, im) for lk in spec.likelihoods for im in spec.impacts}
    problems = [f"Likelihood {lk} × impact {im} has no band." for lk, im in sorted(expected - set(spec.grid))]
    problems += [
        f"Likelihood {lk} × impact {im} is not on the scheme's scales." for lk, im in sorted(set(spec.grid) - expected)
    ]
    return problems


@dataclass(frozen=True)
class Priority:
    """A project's prioritisation, with the reasons for its band."""

    band: str
    peak: int
    peak_band: Band | None
    breadth: int
    weighted: Fraction
    rule: str
    drivers: tuple[str, ...] = field(default_factory=tuple)
    mandatory: bool = False
    confidence: str = "medium"

    @property
    def label(self) -> str:
        return PRIORITY_BANDS[self.band]

    @property
    def weighted_display(self) -> str:
        return f"{float(self.weighted):.2f}"

    def rank_key(self, tiebreak=()) -> tuple:
        """Band, then mandatory, breadth, weighted, peak, confidence; `tiebreak` (e.g. name, id) makes it total."""
        return (
            PRIORITY_ORDER[self.band],
            not self.mandatory,
            -self.breadth,
            -self.weighted,
            -self.peak,
            CONFIDENCE_ORDER.get(self.confidence, 9),
            *tiebreak,
        )


def prioritise(
    spec: Spec, *, impacts: dict[str, int], likelihood: int, mandatory: bool = False, confidence: str = "medium"
) -> Priority:
    """Band and explain one project from its per-category impacts (0–5) if it were not progressed."""
    if likelihood not in spec.likelihoods:
        raise ValueError(f"Likelihood {likelihood} is not on the scale {spec.likelihoods}.")
    names = {c.code: c.name for c in spec.categories}
    values = {c.code: impacts.get(c.code, 0) for c in spec.categories}
    top = max(values.values(), default=0)
    peak = score(likelihood, top)
    peak_band = band_for(spec, likelihood, top) if top else None
    major = [names[code] for code, value in values.items() if value >= spec.major_impact]
    breadth = len(major)
    total_weight = sum(Fraction(c.weight) for c in spec.categories) or 1
    weighted = likelihood + sum(Fraction(c.weight) / total_weight * values[c.code] for c in spec.categories)
    peak_drivers = tuple(names[code] for code, value in values.items() if value == top and top)
    half = spec.red_breadth_fraction * len(spec.categories)

    if spec.categories and breadth >= half:
        band, rule, drivers = (
            RED,
            f"An impact of {spec.major_impact} or more in {breadth} of {len(spec.categories)} categories: "
            "at least half of them.",
            tuple(major),
        )
    elif peak >= spec.red_peak:
        band, rule, drivers = (
            RED,
            f"Peak score {peak} (likelihood {likelihood} × impact {top}) is {spec.red_peak} or more.",
            peak_drivers,
        )
    elif mandatory and peak >= spec.red_mandatory_peak:
        band, rule, drivers = (
            RED,
            f"Mandatory, with a peak score of {peak}, which is {spec.red_mandatory_peak} or more.",
            peak_drivers,
        )
    elif peak >= spec.amber_peak:
        band, rule, drivers = (
            AMBER,
            f"Peak score {peak} (likelihood {likelihood} × impact {top}) is {spec.amber_peak} or more.",
            peak_drivers,
        )
    elif breadth >= 1:
        band, rule, drivers = (
            AMBER,
            f"An impact of {spec.major_impact} or more in {breadth} categor{'y' if breadth == 1 else 'ies'}.",
            tuple(major),
        )
    else:
        band, rule, drivers = (
            GREEN_YELLOW,
            f"Peak score {peak} is below {spec.amber_peak} and no category reaches an impact of {spec.major_impact}.",
            peak_drivers,
        )
    return Priority(
        band=band,
        peak=peak,
        peak_band=peak_band,
        breadth=breadth,
        weighted=weighted,
        rule=rule,
        drivers=drivers,
        mandatory=mandatory,
        confidence=confidence,
    )
