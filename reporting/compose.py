"""A report as a document: plain, JSON-ready data that every output (web page, PDF, Word) renders.

`compose(report)` reads the portfolio as at the report's meeting date (and its comparison date) and returns
the header, the numbered sections with their paragraphs and tables, and the sign-off. The blocks are built
with `reporting.document`; the generated sections come from `reporting.sections`. Publishing stores this
document; a published report is only ever rendered from what was stored.
"""

from django.conf import settings
from django.utils import formats

from reporting.document import DOCUMENT_VERSION, number, paragraph
from reporting.models import Report, SectionKind
from reporting.sections import GENERATORS, Context


def narrative_blocks(section) -> list[dict]:
    """A narrative section's words: one paragraph per blank-line-separated part. Where the template names
    subheadings, the first parts go under them in order (a subheading with no words yet still shows) and any
    part beyond the last subheading follows as a paragraph of its own: no words are ever dropped."""
    parts = [p.strip() for p in section.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    subheadings = section.subheading_list
    headed = [paragraph(parts[i] if i < len(parts) else "", s) for i, s in enumerate(subheadings)]
    return headed + [paragraph(p) for p in parts[len(subheadings) :]]


def compose(report: Report, *, now=None) -> dict:
    """The paper as it stands: every section's blocks, numbered, with its header. `now`: the programme's
    overview as at the meeting, where the caller has read it already."""
    ctx = Context(report, now=now)
    sections = []
    for section in report.sections.all():
        if section.kind == SectionKind.NARRATIVE:
            blocks = narrative_blocks(section)
        else:
            ctx.section = section
            blocks = GENERATORS[section.generator](ctx)
        if section.continues and sections:
            sections[-1]["blocks"].extend(blocks)
            continue
        sections.append({"heading": section.heading, "numbering": section.numbering, "number": "", "blocks": blocks})
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


def figures_beside(section) -> list[dict]:
    """The pictures a narrative section sits with: those of the generated section it carries on, and of any
    generated section that carries on from it (the seed's notes under "the programme before and after"), so the
    office writes the note looking at the picture it describes."""
    siblings = list(section.report.sections.all())
    at = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    beside = []
    if section.continues and at > 0:
        beside.append(siblings[at - 1])
    if at + 1 < len(siblings) and siblings[at + 1].continues:
        beside.append(siblings[at + 1])
    generated = [s for s in beside if s.kind != SectionKind.NARRATIVE]
    if not generated:
        return []
    ctx = Context(section.report)
    figures = []
    for other in generated:
        ctx.section = other
        figures += [block for block in GENERATORS[other.generator](ctx) if block.get("type") == "figure"]
    return figures
