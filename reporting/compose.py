"""A report as a document: plain, JSON-ready data that every output (web page, PDF, Word) renders.

`compose(report)` reads the portfolio as at the report's meeting date (and its comparison date) and returns
the header, the numbered sections with their paragraphs and tables, and the sign-off. Publishing stores this
document; a published report is only ever rendered from what was stored.
"""

from datetime import date

from django.conf import settings
from django.utils import formats

from reporting.models import Generator, Report, SectionKind
from workstreams.changes import changes_between
from workstreams.models import StatusLevel
from workstreams.selectors import programme_overview

DOCUMENT_VERSION = 1


def paragraph(text: str, subheading: str = "") -> dict:
    return {"type": "paragraph", "text": text.strip(), "subheading": subheading}


def cell(text, level=None) -> dict:
    """A table cell; a status cell carries its level's colours and label."""
    if level is None:
        return {"text": "" if text is None else str(text)}
    return {"text": level.label, "colour": level.colour, "text_colour": level.text_colour}


def table(caption: str, columns: list[str], rows: list[list[dict]]) -> dict:
    return {"type": "table", "caption": caption, "columns": columns, "rows": rows}


def day(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


class Context:
    """What the generators share: the portfolio as at the meeting and as at the comparison date, read once."""

    def __init__(self, report: Report):
        self.report = report
        self.programme = report.programme
        self.as_of = report.meeting_date
        self.since = report.comparison_date
        self.now = programme_overview(self.programme, as_of=self.as_of)
        self.before = programme_overview(self.programme, as_of=self.since) if self.since else None


def programme_status(ctx: Context) -> list[dict]:
    status = ctx.now.status
    if status.update is None:
        return [paragraph("No programme status had been recorded by the date of this report.")]
    blocks, seen = [], {}
    for c in status.cells:
        if c.rating:
            seen.setdefault((c.rating.level.pk, c.rating.explanation), []).append(c)
    for (_, explanation), cells in seen.items():
        names = " and ".join(c.dimension.name for c in cells)
        label = cells[0].rating.level.label
        verb = "reports" if len(cells) == 1 else "report"
        lead = f"{names} {verb} {label} as at {day(status.update.as_of)}."
        blocks.append(paragraph(f"{lead} {explanation}" if explanation else lead))
    for text in (status.update.progress, status.update.issues, status.update.next_steps):
        if text:
            blocks.append(paragraph(text))
    blocks.append(
        table(
            "Programme status by dimension",
            ["Dimension", "Status", "Reason"],
            [
                [cell(c.dimension.name), cell(None, c.rating.level), cell(c.rating.explanation)]
                for c in status.cells
                if c.rating
            ],
        )
    )
    return blocks


def _reported_workstreams(ctx: Context):
    """The workstreams the report accounts for: those open at the comparison date (closed since or not), and
    those opened since that have reported a status in the period. Without a comparison date: all open ones."""
    if ctx.before is None:
        yield from (row for row in ctx.now.workstreams if row.item.is_open)
        return
    open_before = {w.item.pk for w in ctx.before.workstreams if w.item.is_open}
    for row in ctx.now.workstreams:
        reported_since = row.update is not None and row.update.as_of > ctx.since
        if row.item.pk in open_before or (row.item.is_open and reported_since):
            yield row


def workstream_updates(ctx: Context) -> list[dict]:
    blocks = []
    for row in _reported_workstreams(ctx):
        ws = row.item
        blocks.append(paragraph("", subheading=ws.name))
        if not ws.is_open:
            blocks.append(paragraph(ws.closure_note or f"The workstream is {ws.get_lifecycle_display().lower()}."))
        else:
            rating = next((c.rating for c in row.cells if c.rating), None)
            if rating:
                reason = rating.explanation
                if reason.lower().startswith("the workstream"):
                    blocks.append(paragraph(reason))
                else:
                    blocks.append(
                        paragraph(f"The workstream is currently reporting {rating.level.label} status. {reason}")
                    )
            else:
                blocks.append(paragraph("No status had been recorded for the workstream by the date of this report."))
        update = row.update
        if update:
            for text in (update.progress, update.next_steps, update.issues):
                if text:
                    blocks.append(paragraph(text))
    if not blocks:
        blocks.append(paragraph("There were no workstreams to report on."))
    return blocks


def status_table(ctx: Context) -> list[dict]:
    before = {c.dimension.pk: c.rating for c in ctx.before.status.cells} if ctx.before else {}
    rows = []
    for c in ctx.now.status.cells:
        last = before.get(c.dimension.pk)
        rows.append(
            [
                cell(c.dimension.name),
                cell(None, last.level) if last else cell("Not rated"),
                cell(None, c.rating.level) if c.rating else cell("Not rated"),
                cell(c.rating.explanation if c.rating else ""),
            ]
        )
    return [table("Last period and this period", ["Dimension", "Last period", "This period", "Reason"], rows)]


def changes(ctx: Context) -> list[dict]:
    if not ctx.since:
        return [paragraph("No comparison date was set, so no changes are listed.")]
    found = changes_between(ctx.programme, ctx.since, ctx.as_of)
    if not found:
        return [paragraph(f"Nothing changed between {day(ctx.since)} and {day(ctx.as_of)}.")]
    rows = []
    for change in found[:60]:
        what = change.summary
        if change.kind == "status":
            old = change.old_level.label if change.old_level else "not rated"
            what = f"{change.summary}: {old} → {change.new_level.label}{f' ({change.direction})' if change.direction else ''}"
        who = change.who.get_full_name() or change.who.get_username() if change.who else ""
        rows.append(
            [
                cell(day(change.day)),
                cell(getattr(change.item, "name", str(change.item))),
                cell(change.kind_label),
                cell(what),
                cell(who),
            ]
        )
    return [table(f"Changes after {day(ctx.since)}", ["Date", "Item", "Change", "What", "Who"], rows)]


def status_key(ctx: Context) -> list[dict]:
    scales = {
        d.scale_id for d in ctx.now.programme_dimensions + ctx.now.workstream_dimensions + ctx.now.project_dimensions
    }
    levels = StatusLevel.objects.filter(scale_id__in=scales).select_related("scale")
    return [
        table(
            "What each status means",
            ["Status", "Scale", "Meaning"],
            [[cell(None, level), cell(level.scale.name), cell(level.definition)] for level in levels],
        )
    ]


def prioritisation(ctx: Context) -> list[dict]:
    from risks.selectors import ranking

    ranked, unassessed = ranking(ctx.programme)
    if not ranked:
        return [paragraph("No project had been assessed for prioritisation.")]
    counts = {}
    for row in ranked:
        counts.setdefault(row.priority.label, []).append(row.project.name)
    blocks = [paragraph("; ".join(f"{len(names)} {label}" for label, names in counts.items()) + ".")]
    blocks.append(
        table(
            "Projects by priority",
            ["Rank", "Project", "Band", "Why"],
            [[cell(r.rank), cell(r.project.name), cell(r.priority.label), cell(r.priority.rule)] for r in ranked],
        )
    )
    return blocks


def risk_summary(ctx: Context) -> list[dict]:
    from risks.selectors import register_rows

    risks = list(
        register_rows()
        .filter(register__programme=ctx.programme, status="open")
        .order_by("-current_score_db", "number")[:10]
    )
    if not risks:
        return [paragraph("The programme risk register holds no open risks.")]
    outside = sum(1 for r in risks if r.outside_appetite)
    blocks = [
        paragraph(
            f"The programme risk register holds {len(risks)} open risks shown below; {outside} are outside appetite."
        )
    ]
    blocks.append(
        table(
            "Top programme risks",
            ["Reference", "Risk", "Current score", "Band", "Outside appetite"],
            [
                [
                    cell(r.reference),
                    cell(r.title),
                    cell(r.current_score_db),
                    cell(r.band_name),
                    cell("Yes" if r.outside_appetite else "No"),
                ]
                for r in risks
            ],
        )
    )
    return blocks


def structure(ctx: Context) -> list[dict]:
    def picture(overview, title):
        rows = [
            [cell(w.item.name), cell(w.item.get_lifecycle_display()), cell(", ".join(p.item.name for p in w.projects))]
            for w in overview.workstreams
            if w.item.is_open
        ]
        return table(title, ["Workstream", "Lifecycle", "Projects"], rows)

    blocks = []
    if ctx.before:
        blocks.append(picture(ctx.before, f"Programme as at {day(ctx.since)}"))
    blocks.append(picture(ctx.now, f"Programme as at {day(ctx.as_of)}"))
    return blocks


GENERATORS = {
    Generator.PROGRAMME_STATUS: programme_status,
    Generator.WORKSTREAM_UPDATES: workstream_updates,
    Generator.STATUS_TABLE: status_table,
    Generator.CHANGES: changes,
    Generator.STATUS_KEY: status_key,
    Generator.PRIORITISATION: prioritisation,
    Generator.RISK_SUMMARY: risk_summary,
    Generator.STRUCTURE: structure,
}


def narrative_blocks(section) -> list[dict]:
    paragraphs = [p.strip() for p in section.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    subheadings = section.subheading_list
    if subheadings:
        # One paragraph per subheading, in order; a subheading with no words yet still shows.
        return [paragraph(paragraphs[i] if i < len(paragraphs) else "", s) for i, s in enumerate(subheadings)]
    return [paragraph(p) for p in paragraphs]


def number(sections: list[dict]) -> list[dict]:
    """Number sections 1, 2 … and their paragraphs 1.1, 1.2 …, as committee papers are numbered."""
    n = 0
    for section in sections:
        if not section["numbered"]:
            continue
        n += 1
        section["number"] = str(n)
        k = 0
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                k += 1
                block["number"] = f"{n}.{k}"
    return sections


def compose(report: Report) -> dict:
    ctx = Context(report)
    sections = []
    for section in report.sections.all():
        if section.kind == SectionKind.NARRATIVE:
            blocks = narrative_blocks(section)
        else:
            blocks = GENERATORS[section.generator](ctx)
        sections.append({"heading": section.heading, "numbered": section.numbered, "number": "", "blocks": blocks})
    return {
        "version": DOCUMENT_VERSION,
        "marking": settings.PROTECTIVE_MARKING,
        "header": {
            "addressed_to": report.addressed_to,
            "meeting": formats.date_format(report.meeting_date, "F Y"),
            "meeting_date": report.meeting_date.isoformat(),
            "executive_officer": report.executive_officer,
            "status": report.get_for_decision_display(),
            "title": report.title,
            "board": report.board.name,
        },
        "sections": number(sections),
        "signed": {"role": report.executive_officer, "name": report.officer_name},
    }
