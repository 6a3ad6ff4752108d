"""A portfolio's summary paper: its own recorded status with what it said (and why it differs from its
programmes, where it does), its status rolled up from its programmes with the explanation and the count at each
level, and each programme's headline and reason, as PDF or Word through the same renderers as every paper.

Made from the data on demand it is a live summary, stamped with the moment it was made. Published
(`reporting.services.portfolio_paper_publish`) it is frozen: its document and both outputs are kept
(`reporting.models.PortfolioPaper`) and served as those bytes ever after."""

from django.conf import settings
from django.utils import formats, timezone

from changeprog import vocabulary
from changeprog.people import person_name
from reporting.document import DOCUMENT_VERSION, cell, day, number, paragraph, table
from workstreams.selectors import portfolio_overview


def _recorded(overview, words) -> list[dict]:
    recorded = overview.recorded
    if recorded is None:
        return [paragraph(f"No status has been recorded for this {words.portfolio.lower()} yet.")]
    rows = [
        [cell("Status"), cell(None, recorded.level)],
        [cell("As at"), cell(day(recorded.as_of))],
        [cell("Recorded by"), cell(person_name(recorded.recorded_by))],
    ]
    if recorded.rolled_up_level is not None:
        rows.append([cell(f"Rolled up from its {words.programmes.lower()}"), cell(None, recorded.rolled_up_level)])
    blocks = [
        table(f"The {words.portfolio.lower()}'s recorded status", ["Item", "Detail"], rows),
        paragraph(recorded.summary),
    ]
    if recorded.differs_from_rollup:
        blocks.append(
            paragraph(
                f"This status differs from what its {words.programmes.lower()} rolled up to when it was recorded "
                f"({recorded.rolled_up_explanation}). Why: {recorded.difference_reason}"
            )
        )
    return blocks


def portfolio_document(portfolio, *, addressed_to: str = "", stamp: dict | None = None, at=None) -> dict:
    """The summary paper's document as the data stands now (`at`, default now), with `stamp` (default: a live
    summary's, not a published paper)."""
    overview = portfolio_overview(portfolio)
    words = vocabulary.current()
    now = timezone.localtime(at) if at else timezone.localtime()
    counts = [[cell(None, level), cell(n)] for level, n in overview.counts]
    if overview.not_rated:
        counts.append([cell("Not rated"), cell(overview.not_rated)])
    status = [paragraph(f"{overview.explanation}.")]
    if counts:
        status.append(table(f"Open {words.programmes.lower()} by headline status", ["Status", "Number"], counts))
    rows = [
        [
            cell(f"{row.item.code} {row.item.name}"),
            cell(row.item.get_lifecycle_display()),
            cell(None, row.headline.level) if row.headline else cell("Not rated"),
            cell(row.headline.explanation if row.headline else ""),
            cell(day(row.update.as_of) if row.update else "No update"),
        ]
        for row in overview.programmes
    ]
    programmes = (
        [table(words.programmes, [words.programme, "Lifecycle", "Headline status", "Reason", "As at"], rows)]
        if rows
        else [paragraph(f"No {words.programmes.lower()} are in this {words.portfolio.lower()} yet.")]
    )
    sections = [
        {"heading": "Its status", "numbering": "decimal", "number": "", "blocks": _recorded(overview, words)},
        {
            "heading": f"Rolled up from its {words.programmes.lower()}",
            "numbering": "decimal",
            "number": "",
            "blocks": status,
        },
        {"heading": words.programmes, "numbering": "decimal", "number": "", "blocks": programmes},
    ]
    return {
        "version": DOCUMENT_VERSION,
        "marking": settings.PROTECTIVE_MARKING,
        "header": {
            "addressed_to": addressed_to,
            "meeting": formats.date_format(now, "F Y"),
            "meeting_date": now.date().isoformat(),
            "executive_officer": person_name(portfolio.owner),
            "status": "For information",
            "title": f"{portfolio.name}: {words.portfolio.lower()} summary",
            "board": portfolio.name,
        },
        "sections": number(sections),
        "signed": {"role": "", "name": ""},
        "stamp": stamp
        or {
            "state": "draft",
            "author": portfolio.name,
            "created": now.isoformat(),
            "banner": "",
            "note": f"Made from ChangeProg's data at {formats.date_format(now, 'j F Y, H:i')}; not a published paper.",
        },
    }
