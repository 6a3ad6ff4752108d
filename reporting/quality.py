"""The data-quality gate: what would weaken a report, listed before it is published.

Each group of findings must be fixed or acknowledged by the office; the acknowledgement is stored with the
published report and named in its history.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import formats

from assurance.models import Benefit, BenefitMeasurement
from assurance.selectors import closed_without_evidence, in_programme
from risks.models import ActionStatus, RiskAction, RiskStatus
from risks.selectors import register_rows
from workstreams import rules
from workstreams.selectors import programme_overview

ITEMS_SHOWN = 25  # per group on the publish page; the stored acknowledgement keeps them all


@dataclass
class Finding:
    code: str
    title: str
    advice: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    @property
    def count(self):
        return len(self.items)

    def as_record(self) -> dict:
        return {"code": self.code, "title": self.title, "count": self.count, "items": [n for n, _ in self.items]}


def findings(report) -> list[Finding]:
    """Every group with something in it, as at the report's meeting date."""
    programme, day = report.programme, report.meeting_date
    overview = programme_overview(programme, as_of=day)
    cadence = period_cadence(report, overview)
    found = rules.attention(overview, day, cadence)

    def flagged(flag):
        return [(f.row.item.name, f.row.item.get_absolute_url()) for f in rules.flagged(found, flag)]

    start, end = rules.period_due(day, cadence)
    risks = register_rows().filter(register__programme=programme, status=RiskStatus.OPEN)
    actions = RiskAction.objects.filter(
        risk__register__programme=programme, risk__status=RiskStatus.OPEN, status=ActionStatus.OPEN, due_date__lt=day
    ).select_related("risk__register")
    measured = BenefitMeasurement.objects.filter(benefit=OuterRef("pk"), measured_on__lte=day)
    unmeasured = Benefit.objects.filter(in_programme(programme)).filter(~Exists(measured)).order_by("title")
    groups = [
        Finding(
            "no-update",
            "No update this period",
            f"Open items (the programme itself, its workstreams and projects) with nothing dated since "
            f"{_day(start)}: the last {cadence.name.lower()} period before the meeting ran from {_day(start)} to "
            f"{_day(end)}, and updates were due by {_day(rules.update_deadline(day, cadence))}.",
            flagged("no-update"),
        ),
        Finding(
            "missing-reason",
            "Red or Amber without a reason",
            "The report will show the colour unexplained.",
            flagged("missing-reason"),
        ),
        Finding(
            "risk-review-overdue",
            "Risks overdue for review",
            "Open programme risks whose review date has passed.",
            [(f"{r.reference} {r.title}", r.get_absolute_url()) for r in risks.filter(next_review_due__lt=day)],
        ),
        Finding(
            "action-overdue",
            "Risk actions overdue",
            "Open actions past their due date.",
            [(f"{a.risk.reference}: {a.description[:80]}", a.risk.get_absolute_url()) for a in actions],
        ),
        Finding(
            "driver-no-evidence",
            "Drivers with their work closed but no evidence",
            "The work answering these drivers had closed and no evidence had been accepted.",
            [(str(d), d.get_absolute_url()) for d in closed_without_evidence(overview, day)],
        ),
        Finding(
            "benefit-unmeasured",
            "Benefits with no measurement",
            "Benefits that have never been measured by the meeting date.",
            [(b.title, "") for b in unmeasured],
        ),
    ]
    return [group for group in groups if group.items]


def _day(value) -> str:
    return formats.date_format(value, "j F Y")


def period_cadence(report, overview=None):
    """The cadence the gate checks: the board's own, else the programme's, else the organisation's."""
    programme = overview.programme if overview is not None else report.programme
    return rules.cadence_for(programme, report.board.cadence)


def missing_acknowledgements(found: list[Finding], acknowledged) -> list[Finding]:
    return [f for f in found if f.code not in set(acknowledged)]


def describe(found: list[Finding]) -> str:
    return "; ".join(f"{f.title} ({f.count})" for f in found)
