"""Writes for reports: drafts from a board's template, the office's edits, publishing and superseding."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone

from changeprog.concurrency import lock
from changeprog.governance import require_reason, save_governed
from reporting import quality
from reporting.compose import compose
from reporting.models import Board, Report, ReportSection, ReportStatus, SectionKind
from workstreams.selectors import programme_overview


class FrozenReport(ValidationError):
    """A published report never changes."""


def _refuse_if_frozen(report: Report):
    if report.is_frozen:
        raise FrozenReport(f"{report} is {report.get_status_display().lower()} and cannot be changed.")


class DraftValues(dict):
    """What a suggested draft may mention. A name it does not know is left as written, for the office to see."""

    def __missing__(self, key):
        return "{" + key + "}"


def _draft_values(*, board, programme, meeting_date, comparison_date) -> DraftValues:
    """What a suggested draft may mention, read once per draft from the data as at the meeting."""
    overview = programme_overview(programme, as_of=meeting_date)
    overall = overview.status.headline
    opened, closed = [], []
    if comparison_date:
        before = programme_overview(programme, as_of=comparison_date)
        open_before = {w.item.pk for w in before.workstreams if w.item.is_open}
        known_before = {w.item.pk for w in before.workstreams}
        opened = [w.item for w in overview.workstreams if w.item.is_open and w.item.pk not in known_before]
        closed = [w.item for w in overview.workstreams if not w.item.is_open and w.item.pk in open_before]
    return DraftValues(
        programme=programme.name,
        organisation=programme.organisation,
        board=board.name,
        meeting=formats.date_format(meeting_date, "F Y"),
        comparison=formats.date_format(comparison_date, "j F Y") if comparison_date else "the last report",
        overall=overall.level.label if overall else "not rated",
        overall_reason=overall.explanation if overall else "",
        opened="\n".join(f"· {w.name}: {w.description}".rstrip(": ") for w in opened) or "· (none)",
        closed=" and ".join(w.name for w in closed) or "none",
    )


def _suggested(draft: str, values: DraftValues) -> str:
    try:
        return draft.format_map(values)
    except (ValueError, IndexError, AttributeError):  # a stray brace: the draft as the administrator wrote it
        return draft


def report_create_draft(
    *,
    board: Board,
    programme,
    meeting_date: date,
    by,
    title: str = "",
    comparison_date: date | None = None,
    officer_name: str = "",
    supersedes: Report | None = None,
    when: datetime | None = None,
) -> Report:
    """Start a draft for a board's meeting from the board's template, narrative sections pre-filled with a
    draft written from the data. The comparison date defaults to the board's previous report."""
    if comparison_date is None:
        previous = (
            board.reports.filter(programme=programme, meeting_date__lt=meeting_date)
            .exclude(status=ReportStatus.DRAFT)
            .order_by("-meeting_date")
            .first()
        )
        comparison_date = previous.meeting_date if previous else None
    if comparison_date and comparison_date >= meeting_date:
        raise ValidationError({"comparison_date": "The comparison date must be before the meeting."})
    reason = f"Draft for {board.name}, {formats.date_format(meeting_date, 'F Y')}"
    with transaction.atomic():
        report = save_governed(
            Report(
                board=board,
                programme=programme,
                title=title or f"{programme.organisation} {programme.name}".strip(),
                meeting_date=meeting_date,
                comparison_date=comparison_date,
                addressed_to=board.addressed_to,
                executive_officer=board.executive_officer,
                officer_name=officer_name,
                supersedes=supersedes,
                created_by=by,
                **({"created_at": when} if when else {}),
            ),
            by=by,
            reason=reason,
            when=when,
        )
        earlier = {s.order: s for s in supersedes.sections.all()} if supersedes else {}
        values = _draft_values(
            board=board, programme=programme, meeting_date=meeting_date, comparison_date=comparison_date
        )
        for section in board.template.sections.all():
            text = earlier[section.order].text if section.order in earlier else ""
            if section.kind == SectionKind.NARRATIVE and not text:
                text = _suggested(section.draft, values)
            save_governed(
                ReportSection(
                    report=report,
                    order=section.order,
                    heading=section.heading,
                    kind=section.kind,
                    generator=section.generator,
                    prompt=section.prompt,
                    subheadings=section.subheadings,
                    numbered=section.numbered,
                    continues=section.continues,
                    text=text,
                ),
                by=by,
                reason=reason,
                when=when,
            )
    return report


def report_section_update(*, section: ReportSection, text: str, by, reason: str = "", when=None) -> ReportSection:
    _refuse_if_frozen(section.report)
    if section.kind != SectionKind.NARRATIVE:
        raise ValidationError("A generated section is written from the data; edit the data instead.")
    with transaction.atomic():
        section.text = text
        return save_governed(section, by=by, reason=reason or f"Edited {section.heading}", when=when)


HEADER_FIELDS = [
    "title",
    "meeting_date",
    "comparison_date",
    "for_decision",
    "addressed_to",
    "executive_officer",
    "officer_name",
]


def report_update(*, report: Report, changes: dict, by, reason: str, when=None) -> Report:
    _refuse_if_frozen(report)
    require_reason(reason)
    with transaction.atomic():
        for name, value in changes.items():
            if name not in HEADER_FIELDS:
                raise ValidationError(f"{name} cannot be edited here.")
            setattr(report, name, value)
        if report.comparison_date and report.comparison_date >= report.meeting_date:
            raise ValidationError({"comparison_date": "The comparison date must be before the meeting."})
        return save_governed(report, by=by, reason=reason, when=when)


class QualityNotAcknowledged(ValidationError):
    """Publishing with data-quality findings the office has neither fixed nor acknowledged."""


def report_publish(*, report: Report, by, acknowledged=(), when: datetime | None = None) -> Report:
    """Freeze everything the report shows. From now on it is rendered only from this snapshot.

    Every group of data-quality findings must be acknowledged (by its code) or fixed first; what was
    acknowledged is stored with the report and named in the history row that publishes it."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _refuse_if_frozen(report)
        found = quality.findings(report)
        missing = quality.missing_acknowledgements(found, acknowledged)
        if missing:
            raise QualityNotAcknowledged(
                f"Fix or acknowledge before publishing: {quality.describe(missing)}.", code="quality"
            )
        report.snapshot = compose(report)
        report.status = ReportStatus.PUBLISHED
        report.published_by = by
        report.published_at = when or timezone.now()
        report.quality_acknowledged = [f.as_record() for f in found]
        reason = f"Published; data quality acknowledged: {quality.describe(found)}" if found else "Published"
        save_governed(report, by=by, reason=reason, when=when)
        if report.supersedes_id:
            old = report.supersedes
            old.status = ReportStatus.SUPERSEDED
            save_governed(old, by=by, reason=f"Superseded by the report published on {report.published_at:%d/%m/%Y}")
    return report


def report_supersede(*, report: Report, by) -> Report:
    """Start a new draft that will supersede a published report, keeping its words to edit. The report is
    locked while it is checked, so two people starting one at once make one draft."""
    with transaction.atomic():
        report = lock(report)
        if report.status != ReportStatus.PUBLISHED:
            raise ValidationError("Only a published report can be superseded.")
        if Report.objects.filter(supersedes=report).exists():
            raise ValidationError("A draft to supersede this report already exists.")
        return report_create_draft(
            board=report.board,
            programme=report.programme,
            meeting_date=report.meeting_date,
            comparison_date=report.comparison_date,
            title=report.title,
            officer_name=report.officer_name,
            supersedes=report,
            by=by,
        )
