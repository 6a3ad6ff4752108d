"""The parts of a report as a document: plain, JSON-ready blocks (numbered paragraphs with bullets, tables with
status cells, figures) that every output (web page, PDF, Word) renders, and the numbering committee papers use.
Nothing here reads the portfolio; the section generators (`reporting.sections`) do."""

from datetime import date

from django.utils import formats

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


def letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA: how lettered sections count."""
    text = ""
    while n:
        n, rest = divmod(n - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def number(sections: list[dict]) -> list[dict]:
    """Number sections and their paragraphs as committee papers are: 1, 2 … with paragraphs 1.1, 1.2 …; lettered
    sections (a Recommendations section before section 1, appendices) A., B. … with paragraphs A.1, A.2 …,
    counted apart from the numbered ones; a section not numbered has no numbers."""
    counts = {"decimal": 0, "letter": 0}
    for section in sections:
        style = section.get("numbering") or ("decimal" if section.get("numbered", True) else "none")
        if style not in counts:
            continue
        counts[style] += 1
        n = counts[style]
        label = str(n) if style == "decimal" else letters(n)
        section["number"] = label if style == "decimal" else f"{label}."
        k = 0
        for block in section["blocks"]:
            if block["type"] == "paragraph":
                k += 1
                block["number"] = f"{label}.{k}"
    return sections
