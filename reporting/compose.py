"""A report as a document: plain, JSON-ready data that every output (web page, PDF, Word) renders.

`compose(report)` reads the portfolio as at the report's meeting date (and its comparison date) and returns
the header, the numbered sections with their paragraphs and tables, and the sign-off. Publishing stores this
document; a published report is only ever rendered from what was stored.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import formats, timezone

from changeprog.effective import end_of_day
from reporting import figures
from reporting.models import Generator, Report, SectionKind
from workstreams.changes import changes_between
from workstreams.models import StatusLevel
from workstreams.selectors import programme_overview

DOCUMENT_VERSION = 2
BULLETS = ("·", "•", "- ")


def paragraph(text: str, subheading: str = "") -> dict:
    """A numbered paragraph: its opening words, then any bullets (lines starting with ·, • or -)."""
    lead, bullets = [], []
    for line in text.strip().splitlines():
        line = line.strip()
        if line.startswith(BULLETS):
            bullets.append(line.lstrip("·•-").strip())
        elif bullets and line:
            bullets[-1] = f"{bullets[-1]} {line}"
        elif line:
            lead.append(line)
    return {"type": "paragraph", "text": "\n".join(lead), "bullets": bullets, "subheading": subheading}


def paragraphs(text: str) -> list[dict]:
    """Text the office or a lead wrote, one paragraph per blank-line-separated part."""
    return [paragraph(part) for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


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


def _known_note(update, meeting: date) -> str:
    """A sentence saying that a status was recorded after the meeting, if it was: the paper then says it could
    not have been known at the meeting."""
    if update is None or update.created_at < end_of_day(meeting):
        return ""
    return f" (This status was recorded on {day(timezone.localdate(update.created_at))}, after the meeting date.)"


def _says(explanation: str, label: str) -> bool:
    """Whether a reason already says the status in its own words, e.g. "continue to report 'Red' status"."""
    return label.lower() in explanation.lower()


def programme_status(ctx: Context) -> list[dict]:
    """One paragraph per status and reason the dimensions share (Risk and Funding Red for one reason), then
    the progress and issues recorded with the programme's latest update."""
    status = ctx.now.status
    if status.update is None:
        return [paragraph("No programme status had been recorded by the date of this report.")]
    blocks, seen = [], {}
    for c in status.cells:
        if c.rating:
            seen.setdefault((c.rating.level.pk, c.rating.explanation), []).append(c)
    for (_, explanation), cells in seen.items():
        label = cells[0].rating.level.label
        if explanation and _says(explanation, label):
            blocks.append(paragraph(explanation))
            continue
        names = " and ".join(c.dimension.name for c in cells)
        verb = "reports" if len(cells) == 1 else "report"
        lead = f"{names} {verb} {label} as at {day(status.update.as_of)}."
        blocks.append(paragraph(f"{lead} {explanation}" if explanation else lead))
    if note := _known_note(status.update, ctx.as_of):
        blocks.append(paragraph(note.strip(" ()")))
    for text in (status.update.progress, status.update.issues):
        blocks.extend(paragraphs(text))
    return blocks


def next_steps(ctx: Context) -> list[dict]:
    update = ctx.now.status.update
    if update is None or not update.next_steps:
        return [paragraph("No next steps had been recorded for the programme by the date of this report.")]
    return paragraphs(update.next_steps)


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


def _status_sentence(row) -> str:
    rating = row.headline
    reason = row.update.reason if row.update else ""
    if reason.lower().startswith("the workstream"):
        return reason
    if rating is None:
        return reason or "No status had been recorded for the workstream by the date of this report."
    if not rating.level.is_rating:
        explanation = reason or rating.explanation
        return f"The workstream's status is {rating.level.label}." + (f" {explanation}" if explanation else "")
    sentence = f"The workstream is currently reporting {rating.level.label} status"
    closure = row.item.planned_closure_date
    if closure and not reason:
        sentence += f" and is planned for closure at the end of {formats.date_format(closure, 'F')}"
    explanation = reason or rating.explanation
    return f"{sentence}. {explanation}".strip() if explanation else f"{sentence}."


def _handover(ctx: Context, row) -> dict | None:
    """How a closing workstream's changes will be embedded: its projects with an embedding owner, and its
    projects moved to another workstream since the comparison date."""
    lines = [
        f"The embedding of {_lower_first(p.item.name)} will be progressed through the {p.item.embedding_owner}"
        for p in row.projects
        if p.item.embedding_owner
    ]
    if ctx.before:
        now_in = {p.item.pk: w.item for w in ctx.now.workstreams for p in w.projects}
        before = next((w for w in ctx.before.workstreams if w.item.pk == row.item.pk), None)
        for p in before.projects if before else []:
            moved_to = now_in.get(p.item.pk)
            if moved_to and moved_to.pk != row.item.pk:
                lines.append(
                    f"The development of {_lower_first(p.item.name)} will be progressed by the {moved_to.name} workstream."
                )
    if not lines:
        return None
    return paragraph(
        "The changes completed will now be embedded as follows:\n" + "\n".join(f"· {line}" for line in lines)
    )


def _lower_first(name: str) -> str:
    """A name as it reads mid-sentence: "Training and guidance …" becomes "training and guidance …", while
    "FCR technology" and "Cambridge Harm Index" (names in their own right) stay as they are."""
    words = name.split()
    if len(words) > 1 and words[0].istitle() and words[1][:1].islower():
        return name[0].lower() + name[1:]
    return name


def workstream_updates(ctx: Context) -> list[dict]:
    """For each workstream: its name, its status and why, how a closing one's changes will be embedded, and
    the narrative of its latest update. A closed workstream is reported by its closure note."""
    blocks = []
    for row in _reported_workstreams(ctx):
        ws = row.item
        blocks.append(paragraph("", subheading=ws.name))
        if not ws.is_open:
            blocks.extend(
                paragraphs(ws.closure_note) or [paragraph(f"The workstream is {ws.get_lifecycle_display().lower()}.")]
            )
        else:
            blocks.append(paragraph(_status_sentence(row) + _known_note(row.update, ctx.as_of)))
            if ws.lifecycle == "closing" and (handover := _handover(ctx, row)):
                blocks.append(handover)
        update = row.update
        if update:
            for text in (update.progress, update.issues, update.next_steps):
                blocks.extend(paragraphs(text))
    if not blocks:
        blocks.append(paragraph("There were no workstreams to report on."))
    return blocks


def status_table(ctx: Context) -> list[dict]:
    before = {c.dimension.pk: c.rating for c in ctx.before.status.cells} if ctx.before else {}
    rows = []
    for c in ctx.now.status.cells:
        last = before.get(c.dimension.pk)
        if not (c.rating or last):
            continue  # a dimension this programme has not rated in either period says nothing
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
        who = _name(change.who)
        rows.append(
            [
                cell(day(change.day)),
                cell(getattr(change.item, "name", str(change.item))),
                cell(change.kind_label),
                cell(what),
                cell(who),
                cell(_known_at_meeting(change, ctx.as_of)),
            ]
        )
    return [
        table(
            f"Changes after {day(ctx.since)}",
            ["Date", "Item", "Change", "What", "Who", "Known at the meeting"],
            rows,
        )
    ]


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _known_at_meeting(change, meeting) -> str:
    """Whether the change had been recorded by the end of the meeting day, and when, if it was recorded late."""
    if not change.known_by(meeting):
        return f"No: recorded on {day(change.recorded_on)} by {_name(change.recorded_by) or 'an unknown user'}"
    if change.recorded_later:
        return f"Yes: recorded later than its date, on {day(change.recorded_on)}"
    return "Yes"


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
    """The programme's open risks as they stood at the report's date: how many, how many outside appetite,
    the heat map, and the ten highest current scores."""
    from risks.drawing import heat_map_figure
    from risks.selectors import heat_map, register_rows_as_at
    from risks.services import current_scheme

    open_risks = register_rows_as_at(ctx.as_of).filter(register__programme=ctx.programme, status="open")
    counts = open_risks.order_by().aggregate(
        total=models.Count("pk"), outside=models.Count("pk", filter=models.Q(outside_appetite=True))
    )
    if not counts["total"]:
        return [paragraph(f"The programme risk register held no open risks at {day(ctx.as_of)}.")]
    top = list(open_risks.order_by("-current_score_db", "number")[:10])
    shown = "the highest ten are" if counts["total"] > 10 else "they are"
    blocks = [
        paragraph(
            f"At {day(ctx.as_of)} the programme risk register held {counts['total']} open risks, "
            f"{counts['outside']} of them outside appetite; {shown} listed below."
        )
    ]
    rows, _ = heat_map(open_risks, "current", current_scheme())
    blocks.append(heat_map_figure(rows, caption="Open programme risks by current likelihood and impact"))
    blocks.append(
        table(
            "Top programme risks",
            ["Reference", "Risk", "Current score", "Band", "Outside appetite"],
            [
                [
                    cell(f"{r.register.code}-R{r.number:03d}"),
                    cell(r.title),
                    cell(r.current_score_db),
                    cell(r.band_name),
                    cell("Yes" if r.outside_appetite else "No"),
                ]
                for r in top
            ],
        )
    )
    return blocks


def _structure_figure(overview, caption: str) -> dict:
    def level(row):
        return row.headline.level if row.headline else None

    return figures.structure_figure(
        caption,
        [
            (w.item.name, level(w), [(p.item.name, level(p)) for p in w.projects if p.item.is_open])
            for w in overview.workstreams
            if w.item.is_open
        ],
    )


def structure_before(ctx: Context) -> list[dict]:
    if not ctx.before:
        return [paragraph("No comparison date was set, so there is no earlier picture of the programme.")]
    return [_structure_figure(ctx.before, f"Programme progress {formats.date_format(ctx.since, 'F Y')}")]


def structure_after(ctx: Context) -> list[dict]:
    caption = "Revised programme" if ctx.before else f"Programme {formats.date_format(ctx.as_of, 'F Y')}"
    return [_structure_figure(ctx.now, caption)]


def structure(ctx: Context) -> list[dict]:
    return (structure_before(ctx) if ctx.before else []) + structure_after(ctx)


GENERATORS = {
    Generator.PROGRAMME_STATUS: programme_status,
    Generator.WORKSTREAM_UPDATES: workstream_updates,
    Generator.STATUS_TABLE: status_table,
    Generator.CHANGES: changes,
    Generator.STATUS_KEY: status_key,
    Generator.PRIORITISATION: prioritisation,
    Generator.RISK_SUMMARY: risk_summary,
    Generator.STRUCTURE: structure,
    Generator.STRUCTURE_BEFORE: structure_before,
    Generator.STRUCTURE_AFTER: structure_after,
    Generator.NEXT_STEPS: next_steps,
}


def narrative_blocks(section) -> list[dict]:
    parts = [p.strip() for p in section.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    subheadings = section.subheading_list
    if subheadings:
        # One paragraph per subheading, in order; a subheading with no words yet still shows.
        return [paragraph(parts[i] if i < len(parts) else "", s) for i, s in enumerate(subheadings)]
    return [paragraph(p) for p in parts]


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


def _generators():
    from reporting import assurance_sections as a

    return GENERATORS | {
        Generator.DRIVERS: a.drivers_evidence,
        Generator.BUSINESS_CASES: a.business_cases,
        Generator.BENEFITS: a.benefits,
        Generator.EMBEDDING: a.embedding,
        Generator.DECISIONS: a.decisions,
    }


def compose(report: Report) -> dict:
    ctx = Context(report)
    generators = _generators()
    sections = []
    for section in report.sections.all():
        if section.kind == SectionKind.NARRATIVE:
            blocks = narrative_blocks(section)
        else:
            blocks = generators[section.generator](ctx)
        if section.continues and sections:
            sections[-1]["blocks"].extend(blocks)
            continue
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
