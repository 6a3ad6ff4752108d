"""A portfolio's summary paper, made from the data on demand: its status rolled up from its programmes with the
explanation, the count at each level, and each programme's headline and reason, as PDF or Word through the same
renderers as every paper. It is a live summary, stamped with the moment it was made, not a published paper."""

from django.conf import settings
from django.utils import formats, timezone

from changeprog import vocabulary
from changeprog.people import person_name
from reporting.document import DOCUMENT_VERSION, cell, day, number, paragraph, table
from workstreams.selectors import portfolio_overview


def portfolio_document(portfolio) -> dict:
    overview = portfolio_overview(portfolio)
    words = vocabulary.current()
    now = timezone.localtime()
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
        {"heading": "Status", "numbering": "decimal", "number": "", "blocks": status},
        {"heading": words.programmes, "numbering": "decimal", "number": "", "blocks": programmes},
    ]
    return {
        "version": DOCUMENT_VERSION,
        "marking": settings.PROTECTIVE_MARKING,
        "header": {
            "addressed_to": "",
            "meeting": formats.date_format(now, "F Y"),
            "meeting_date": now.date().isoformat(),
            "executive_officer": person_name(portfolio.owner),
            "status": "For information",
            "title": f"{portfolio.name}: {words.portfolio.lower()} summary",
            "board": portfolio.name,
        },
        "sections": number(sections),
        "signed": {"role": "", "name": ""},
        "stamp": {
            "state": "draft",
            "author": portfolio.name,
            "created": now.isoformat(),
            "banner": "",
            "note": f"Made from ChangeProg's data at {formats.date_format(now, 'j F Y, H:i')}; not a published paper.",
        },
    }
