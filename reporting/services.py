"""Writes for reports: drafts from a board's template, the office's edits, publishing and superseding."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from changeprog.concurrency import lock
from changeprog.effective import day_text
from changeprog.governance import require_reason, save_governed
from changeprog.people import person_name
from reporting import outputs, quality
from reporting.compose import compose
from reporting.models import (
    Board,
    Challenge,
    Edition,
    PortfolioPaper,
    Report,
    ReportArtefact,
    ReportSection,
    ReportStatus,
    SectionKind,
)
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
                    numbering=section.numbering,
                    columns=section.columns,
                    continues=section.continues,
                    text=text,
                ),
                by=by,
                reason=reason,
                when=when,
            )
    return report


def section_suggestion(section: ReportSection) -> str | None:
    """A fresh suggestion for a narrative section, written now from the data as at the report's meeting (the
    board's template's draft for that place), or None where the template suggests nothing."""
    report = section.report
    source = (
        report.board.template.sections.filter(order=section.order, kind=SectionKind.NARRATIVE).exclude(draft="").first()
    )
    if section.kind != SectionKind.NARRATIVE or source is None:
        return None
    values = _draft_values(
        board=report.board,
        programme=report.programme,
        meeting_date=report.meeting_date,
        comparison_date=report.comparison_date,
    )
    return _suggested(source.draft, values)


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


def _store(report: Report, edition: str, stamp: dict, by) -> list[ReportArtefact]:
    """Render every output of a frozen paper once, with `stamp`, and keep the bytes with their SHA-256."""
    document = outputs.stamped(report.snapshot, stamp)
    stored = []
    for fmt in outputs.FORMATS:
        content = outputs.render(document, fmt)
        stored.append(
            ReportArtefact.objects.create(
                report=report,
                format=fmt,
                edition=edition,
                content=content,
                sha256=outputs.sha256(content),
                size=len(content),
                created_by=by,
            )
        )
    return stored


def _hashes(stored: list[ReportArtefact]) -> str:
    return "; ".join(f"{a.get_format_display()} SHA-256 {a.sha256}" for a in stored)


def report_publish(*, report: Report, by, acknowledged=(), when: datetime | None = None) -> Report:
    """Freeze everything the report shows. From now on it is rendered only from this snapshot, and its HTML,
    PDF and Word are rendered now, once, and stored: every later download is those bytes.

    Every group of data-quality findings must be acknowledged (by its code) or fixed first; what was
    acknowledged is stored with the report and named in the history row that publishes it, with the hashes of
    the stored outputs. One paper per board and meeting is published; a later one supersedes it."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        _refuse_if_frozen(report)
        already = Report.objects.filter(
            board=report.board_id,
            programme=report.programme_id,
            meeting_date=report.meeting_date,
            status=ReportStatus.PUBLISHED,
        ).exclude(pk=report.supersedes_id)
        if already.exists():
            raise ValidationError(
                f"{already.first()} is already published for this meeting. Start a new draft from it to "
                "supersede it instead.",
                code="published",
            )
        overview = programme_overview(report.programme, as_of=report.meeting_date)
        document = compose(report, now=overview)
        found = quality.findings(report, document, overview=overview)
        missing = quality.missing_acknowledgements(found, acknowledged)
        if missing:
            raise QualityNotAcknowledged(
                f"Fix or acknowledge before publishing: {quality.describe(missing)}.", code="quality"
            )
        old = lock(report.supersedes) if report.supersedes_id else None
        if old is not None and old.status != ReportStatus.PUBLISHED:
            raise ValidationError(f"{old} is {old.get_status_display().lower()}; it cannot be superseded again.")
        report.snapshot = document
        report.status = ReportStatus.PUBLISHED
        report.published_by = by
        report.published_at = when or timezone.now()
        report.version = (old.version or 1) + 1 if old else 1
        report.quality_acknowledged = [f.as_record() for f in found]
        if old is not None:  # first, so that only one paper for the meeting is ever published
            old.status = ReportStatus.SUPERSEDED
            old_stored = _store(old, Edition.SUPERSEDED, outputs.superseded_stamp(old, report), by)
            save_governed(
                old,
                by=by,
                reason=f"Superseded by version {report.version} (report {report.pk}), published on "
                f"{day_text(report.published_at)}; marked outputs stored: {_hashes(old_stored)}",
                when=when,
            )
        stored = _store(report, Edition.ISSUED, outputs.issued_stamp(report), by)
        reason = f"Published as version {report.version}"
        if found:
            reason += f"; data quality acknowledged: {quality.describe(found)}"
        save_governed(report, by=by, reason=f"{reason}; outputs stored: {_hashes(stored)}", when=when)
    return report


def artefact(report: Report, fmt: str, edition: str | None = None) -> ReportArtefact:
    """A frozen paper's stored output: the marked-superseded edition once there is one, else as issued (or the
    edition asked for). A paper published before outputs were stored has them rendered and kept on first use."""
    wanted = [edition] if edition else [Edition.SUPERSEDED, Edition.ISSUED]
    found = {a.edition: a for a in ReportArtefact.objects.filter(report=report, format=fmt, edition__in=wanted)}
    for name in wanted:
        if name in found:
            return found[name]
    if report.status == ReportStatus.SUPERSEDED and edition != Edition.ISSUED:
        name, stamp = Edition.SUPERSEDED, outputs.superseded_stamp(report, report.superseded_by)
    else:
        name, stamp = Edition.ISSUED, outputs.issued_stamp(report)
    try:
        with transaction.atomic():
            _store(report, name, stamp, report.published_by)
    except IntegrityError:  # someone else's first download stored them a moment ago
        pass
    return ReportArtefact.objects.get(report=report, format=fmt, edition=name)


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


# --- A committee's challenges ----------------------------------------------------------------------------------


def challenge_record(*, report: Report, raised_by: str, minute_reference: str, question: str, by) -> Challenge:
    """Record a committee's challenge of a published paper, as its minutes give it."""
    if not report.is_frozen:
        raise ValidationError("A challenge is recorded against a published paper; this one is still a draft.")
    challenge = Challenge(
        report=report,
        raised_by=raised_by.strip(),
        minute_reference=minute_reference.strip(),
        question=question.strip(),
        recorded_by=by,
    )
    with transaction.atomic():
        return save_governed(challenge, by=by, reason=f"Challenge recorded from minute {challenge.minute_reference}")


def challenge_answer(*, challenge: Challenge, answer: str, answered_on: date, by, reason: str = "") -> Challenge:
    """Give (or revise, with a reason) the answer to a challenge; the history keeps every earlier answer."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "Write the answer."})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": "An answer cannot be dated in the future."})
    if answered_on < challenge.report.meeting_date:
        raise ValidationError(
            {"answered_on": f"The challenge was raised at the meeting on {day_text(challenge.report.meeting_date)}."}
        )
    if challenge.answered:
        require_reason(reason)
    challenge.answer, challenge.answered_on, challenge.answered_by = answer, answered_on, by
    with transaction.atomic():
        return save_governed(challenge, by=by, reason=reason.strip() or "Challenge answered")


def portfolio_paper_publish(*, portfolio, by, addressed_to: str = "", when: datetime | None = None) -> PortfolioPaper:
    """Publish a portfolio's summary paper as the data stands now: its document is frozen, its PDF and Word are
    rendered once with the published stamp (who, when, the content's fingerprint) and kept with their SHA-256,
    and every download after that is those bytes (`reporting.portfolio_paper`)."""
    from reporting.portfolio_paper import portfolio_document

    at = when or timezone.now()
    snapshot = portfolio_document(portfolio, addressed_to=addressed_to.strip(), at=at)
    snapshot.pop("stamp")
    stamp = {
        "state": "published",
        "author": portfolio.name,
        "created": at.isoformat(),
        "banner": "",
        "note": (
            f"Published on {formats.date_format(timezone.localtime(at), 'j F Y')} by {person_name(by)}. "
            f"Content fingerprint (SHA-256): {outputs.fingerprint(snapshot)}."
        ),
    }
    document = outputs.stamped(snapshot, stamp)
    pdf, docx = outputs.render(document, "pdf"), outputs.render(document, "docx")
    with transaction.atomic():
        return PortfolioPaper.objects.create(
            portfolio=portfolio,
            title=snapshot["header"]["title"],
            addressed_to=addressed_to.strip(),
            snapshot=snapshot,
            pdf=pdf,
            pdf_sha256=outputs.sha256(pdf),
            docx=docx,
            docx_sha256=outputs.sha256(docx),
            published_by=by,
            published_at=at,
        )
