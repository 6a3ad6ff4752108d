"""The data-quality gate: what would weaken a report, listed before it is published.

Each group of findings must be fixed or acknowledged by the office; the acknowledgement is stored with the
published report and named in its history.
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils import formats

from assurance.models import Benefit, BenefitMeasurement
from assurance.selectors import closed_without_evidence, in_programme
from changeprog.links import link
from risks.models import ActionStatus, Risk, RiskAction, RiskStatus, risk_reference
from workstreams import rules
from workstreams.models import StatusLevel
from workstreams.selectors import programme_overview

ITEMS_SHOWN = 25  # per group on the publish page; the stored acknowledgement keeps them all


@dataclass
class Finding:
    code: str
    title: str
    advice: str
    # (label, url): the url may be the item's own get_absolute_url, called only for the few items a page shows
    # (the gate lists hundreds on a large programme; a template calls it when it renders the link)
    items: list[tuple[str, str | Callable[[], str]]] = field(default_factory=list)

    @property
    def count(self):
        return len(self.items)

    def as_record(self) -> dict:
        return {"code": self.code, "title": self.title, "count": self.count, "items": [n for n, _ in self.items]}


def findings(report, document: dict | None = None, *, overview=None) -> list[Finding]:
    """Every group with something in it, as at the report's meeting date. `document` is the report as composed
    now, and `overview` the programme as at the meeting, where the caller has them (publishing reads them once,
    for the checks and the snapshot alike)."""
    programme, day = report.programme, report.meeting_date
    if overview is None:
        overview = programme_overview(programme, as_of=day)
    cadence = period_cadence(report, overview)
    found = rules.attention(overview, day, cadence)

    def flagged(flag):
        return [(f.row.item.name, f.row.item.get_absolute_url) for f in rules.flagged(found, flag)]

    start, end = rules.period_due(day, cadence)
    # Read as values: a large programme has hundreds of each, and only the first few are shown as links.
    risks = (
        Risk.objects.filter(register__programme=programme, status=RiskStatus.OPEN, next_review_due__lt=day)
        .order_by("register_id", "number")
        .values_list("pk", "register__code", "number", "title")
    )
    actions = RiskAction.objects.filter(
        risk__register__programme=programme,
        risk__status=RiskStatus.OPEN,
        status=ActionStatus.OPEN,
        due_date__lt=day,
    ).values_list("risk_id", "risk__register__code", "risk__number", "description")
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
            "differs-from-rule",
            "Rated otherwise than their rule",
            "Their latest status differs from what the dimension's rule gave; the paper shows both with the reason.",
            flagged("differs-from-rule"),
        ),
        Finding(
            "milestone-overdue",
            "Items with a milestone overdue",
            "Planned milestones whose forecast (or baseline) date had passed by the meeting.",
            flagged("milestone-overdue"),
        ),
        Finding(
            "risk-review-overdue",
            "Risks overdue for review",
            "Open programme risks whose review date has passed.",
            [(f"{risk_reference(code, number)} {title}", _risk_url(pk)) for pk, code, number, title in risks],
        ),
        Finding(
            "action-overdue",
            "Risk actions overdue",
            "Open actions past their due date.",
            [(f"{risk_reference(code, number)}: {text[:80]}", _risk_url(pk)) for pk, code, number, text in actions],
        ),
        Finding(
            "driver-no-evidence",
            "Drivers with their work closed but no evidence",
            "The work answering these drivers had closed and no evidence had been accepted.",
            [(str(d), d.get_absolute_url) for d in closed_without_evidence(overview, day)],
        ),
        Finding(
            "benefit-unmeasured",
            "Benefits with no measurement",
            "Benefits that have never been measured by the meeting date.",
            [(b.title, "") for b in unmeasured],
        ),
    ]
    groups += narrative_findings(report, overview, document)
    return [group for group in groups if group.items]


def _risk_url(pk: int) -> Callable[[], str]:
    """A risk's page, worked out only if a page shows the link (as `Risk.get_absolute_url` gives it)."""
    return lambda: link("risks:risk", pk)


# --- The paper's own words --------------------------------------------------------------------------------------

PLACEHOLDERS = re.compile(r"\(none\)|\bTBC\b|\bTBA\b|\bXXX+\b|\[insert[^\]]*\]|\{[a-z_]+\}|lorem ipsum", re.I)
EMPTY_BULLET = re.compile(r"^\s*[·•-]\s*$", re.M)
CURRENT = re.compile(r"\b(currently|now|is reporting|are reporting|remains|remain)\b", re.I)
MONTHS = list(calendar.month_name)[1:]
FUTURE_CLOSURE = re.compile(
    r"\b(will|planned|plans?|due|expected|scheduled|intends?)\b[^.]*?\b(clos\w*|complet\w*|finish\w*|end)\b[^.]*?"
    r"\b(?:by|at the end of|end of|in|during|before)\s+(?P<month>" + "|".join(MONTHS) + r")(?:\s+(?P<year>\d{4}))?",
    re.I,
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _where(section, sentence: str) -> str:
    return f"{section.heading}: “{sentence[:100]}{'…' if len(sentence) > 100 else ''}”"


def narrative_findings(report, overview, document: dict | None = None) -> list[Finding]:
    """What the office's words say that the data at the meeting does not, and what was left unwritten: empty
    sections, placeholders and empty bullets, the programme's status named otherwise than the data has it,
    closures spoken of as still to come that were past at the meeting, and pictures that show the same thing."""
    from reporting.compose import compose

    headline = overview.status.headline
    current = headline.level.label if headline else None
    labels = set(StatusLevel.objects.filter(is_rating=True).values_list("label", flat=True).distinct())
    empty, placeholders, disagree, past = [], [], [], []
    url = report.get_absolute_url()
    for section in report.sections.all():
        if section.kind != "narrative":
            continue
        text = section.text.strip()
        if not text:
            empty.append((section.heading, url))
            continue
        for match in PLACEHOLDERS.finditer(text):
            placeholders.append((f"{section.heading}: “{match.group()}”", url))
        if EMPTY_BULLET.search(text):
            placeholders.append((f"{section.heading}: an empty bullet", url))
        for sentence in _sentences(text):
            said = {label for label in labels if re.search(rf"\b{re.escape(label)}\b", sentence)}
            of_programme = "programme" in sentence.lower() or report.programme.name.lower() in sentence.lower()
            speaks_of_now = of_programme and CURRENT.search(sentence)
            if current and said and speaks_of_now and current not in said:
                disagree.append((f"{_where(section, sentence)} – the data says {current}", url))
            for match in FUTURE_CLOSURE.finditer(sentence):
                month = MONTHS.index(match["month"].capitalize()) + 1
                year = int(match["year"]) if match["year"] else report.meeting_date.year
                end = date(year + month // 12, month % 12 + 1, 1)  # the day after that month ends
                if end <= report.meeting_date:
                    past.append((f"{_where(section, sentence)} – past at the meeting", url))
    document = document if document is not None else compose(report, now=overview)
    empty += [(s["heading"], url) for s in document["sections"] if not s["blocks"]]
    pictures = [b for s in document["sections"] for b in s["blocks"] if b["type"] == "figure"]
    same = [
        (f"“{a['caption']}” and “{b['caption']}”", url)
        for i, a in enumerate(pictures)
        for b in pictures[i + 1 :]
        if a["shapes"] == b["shapes"]
    ]
    return [
        Finding(
            "narrative-empty", "Empty sections", "Sections with nothing in them: write them, or acknowledge.", empty
        ),
        Finding(
            "narrative-placeholder",
            "Placeholders and empty bullets",
            "Words left from a draft, such as “(none)”, TBC or an unfilled {name}, and bullets with nothing in them.",
            placeholders,
        ),
        Finding(
            "narrative-status",
            "The programme's status said otherwise",
            f"A sentence names the programme's status as it is now, but the data at the meeting says "
            f"{current or 'not rated'}.",
            disagree,
        ),
        Finding(
            "narrative-past",
            "Closures still to come that were past",
            "A closure or completion is spoken of as planned for a month that had ended by the meeting.",
            past,
        ),
        Finding(
            "pictures-identical",
            "Pictures that show the same thing",
            "Two pictures (before and after a review) are identical: nothing changed in the period. Remove one, "
            "or acknowledge.",
            same,
        ),
    ]


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
