"""A board pack: a published paper and the appendices the office chooses (a risk register extract, the
workstream updates, what changed), as one PDF with a contents page and page numbers running through it.

The paper is its published snapshot with its published stamp, word for word; each appendix is generated from
the record as at the paper's meeting (and its comparison date), by the same generators as the papers' own
sections, lettered A, B … with paragraphs A.1, A.2 …
"""

from django.template.loader import render_to_string
from django.utils import formats, timezone

from reporting import outputs
from reporting.document import number
from reporting.models import Generator
from reporting.pdf import write_pdf
from reporting.sections import GENERATORS, Context

APPENDICES = {
    "risks": ("Risk register extract", Generator.RISK_SUMMARY),
    "updates": ("Workstream updates", Generator.WORKSTREAM_UPDATES),
    "changes": ("What changed", Generator.CHANGES),
}


def appendix_sections(report, chosen: list[str]) -> list[dict]:
    ctx = Context(report)
    sections = [
        {
            "heading": APPENDICES[code][0],
            "numbering": "letter",
            "number": "",
            "blocks": GENERATORS[APPENDICES[code][1]](ctx),
        }
        for code in APPENDICES
        if code in chosen
    ]
    return number(sections)


def render_pack(report, chosen: list[str]) -> bytes:
    document = outputs.stamped(report.snapshot, outputs.issued_stamp(report))
    appendices = appendix_sections(report, chosen)
    for appendix in appendices:
        appendix["anchor"] = f"appendix-{appendix['number'].rstrip('.').lower()}"
    html = render_to_string(
        "reporting/pack.html",
        {
            "document": document,
            "appendices": appendices,
            "drawn_on": formats.date_format(timezone.localtime(), "j F Y, H:i"),
            "meeting": formats.date_format(report.meeting_date, "j F Y"),
        },
    )
    return write_pdf(html)
