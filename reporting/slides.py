"""Reports as PowerPoint slides through python-pptx, for change boards that meet over slides.

16:9 slides from the same document as the other outputs: a title slide, then a slide per section (a long
section carries on over further slides marked "continued"); paragraphs keep their numbers and bullets, tables
become slide tables with their status colours (long ones split with the header row repeated), and pictures are
PNGs with their descriptions as alternative text. The protective marking (and DRAFT or SUPERSEDED) heads every
slide; each slide is numbered.
"""

from datetime import UTC, datetime
from io import BytesIO

from django.conf import settings
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from changeprog.drawing import to_png

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.45)
BODY_HEIGHT = HEIGHT - BODY_TOP - Inches(0.6)
TEXT_BUDGET = 1100  # characters of paragraphs a slide holds at 16 pt
TABLE_ROWS = 9  # body rows per slide
RED = RGBColor(0xD4, 0x35, 0x1C)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _text(frame, text: str, *, size: int, bold: bool = False, colour: RGBColor | None = None, align=None):
    paragraph = frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, settings.REPORT_FONT
    if colour is not None:
        run.font.color.rgb = colour
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _furniture(slide, document: dict, number: int):
    """The marking (and the stamp) at the top of the slide, and its number at the bottom."""
    stamp = document.get("stamp") or {}
    top = slide.shapes.add_textbox(MARGIN, Inches(0.1), WIDTH - 2 * MARGIN, Inches(0.4)).text_frame
    _text(top, document["marking"], size=11, bold=True, align=PP_ALIGN.CENTER)
    if stamp.get("banner"):
        line = top.add_paragraph()
        line.alignment = PP_ALIGN.CENTER
        run = line.add_run()
        run.text = stamp["banner"]
        run.font.size, run.font.bold, run.font.color.rgb = Pt(11), True, RED
    foot = slide.shapes.add_textbox(WIDTH - MARGIN - Inches(3), HEIGHT - Inches(0.45), Inches(3), Inches(0.3))
    _text(foot.text_frame, f"{number}", size=10, align=PP_ALIGN.RIGHT)


def _title(slide, text: str):
    box = slide.shapes.add_textbox(MARGIN, Inches(0.7), WIDTH - 2 * MARGIN, Inches(0.7)).text_frame
    box.word_wrap = True
    _text(box, text, size=26, bold=True, colour=_rgb(settings.REPORT_HEADING_COLOUR))


def _paragraphs(slide, blocks: list[dict]):
    frame = slide.shapes.add_textbox(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT).text_frame
    frame.word_wrap = True
    first = True
    for block in blocks:
        lines = []
        if block.get("subheading"):
            lines.append((f"{block.get('number') or ''} {block['subheading']}".strip(), 0, True))
        if block["text"]:
            number = "" if block.get("subheading") else block.get("number") or ""
            lines.append((f"{number} {block['text']}".strip(), 0, False))
        lines += [(f"• {bullet}", 1, False) for bullet in block.get("bullets", [])]
        for text, level, bold in lines:
            paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
            first = False
            paragraph.level = level
            paragraph.space_after = Pt(6)
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.name = Pt(16 if level == 0 else 15), bold, settings.REPORT_FONT


def _table(slide, block: dict, rows: list[list[dict]]):
    shape = slide.shapes.add_table(
        len(rows) + 1, len(block["columns"]), MARGIN, BODY_TOP + Inches(0.4), WIDTH - 2 * MARGIN, Inches(0.4)
    )
    caption = slide.shapes.add_textbox(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(0.4)).text_frame
    _text(caption, block["caption"], size=14, bold=True)
    table = shape.table
    for i, column in enumerate(block["columns"]):
        cell = table.cell(0, i)
        cell.text = column
        cell.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = value["text"]
            run = cell.text_frame.paragraphs[0].runs[0] if cell.text_frame.paragraphs[0].runs else None
            if run is not None:
                run.font.size = Pt(12)
            if value.get("colour"):
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(value["colour"])
                if run is not None:
                    run.font.bold = True
                    run.font.color.rgb = _rgb(value["text_colour"])
            else:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _figure(slide, block: dict):
    caption = slide.shapes.add_textbox(MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(0.4)).text_frame
    _text(caption, block["caption"], size=14, bold=True)
    room_w, room_h = WIDTH - 2 * MARGIN, BODY_HEIGHT - Inches(0.5)
    scale = min(room_w / Emu(Inches(block["width"] / 96)), room_h / Emu(Inches(block["height"] / 96)), 1.6)
    width = int(Inches(block["width"] / 96) * scale)
    picture = slide.shapes.add_picture(BytesIO(to_png(block)), MARGIN, BODY_TOP + Inches(0.45), width=width)
    picture._element.nvPicPr.cNvPr.set("descr", f"{block['caption']}. {block['description']}")


def _pages(section: dict):
    """A section's blocks in slide-sized pieces: runs of paragraphs up to the text budget, each table in runs
    of rows, each picture on its own."""
    run, size = [], 0
    for block in section["blocks"]:
        if block["type"] == "paragraph":
            length = len(block["text"]) + sum(len(b) for b in block.get("bullets", [])) + 80
            if run and size + length > TEXT_BUDGET:
                yield ("paragraphs", run)
                run, size = [], 0
            run.append(block)
            size += length
            continue
        if run:
            yield ("paragraphs", run)
            run, size = [], 0
        if block["type"] == "table":
            rows = block["rows"] or [[{"text": ""} for _ in block["columns"]]]
            for start in range(0, len(rows), TABLE_ROWS):
                yield ("table", (block, rows[start : start + TABLE_ROWS]))
        else:
            yield ("figure", block)
    if run:
        yield ("paragraphs", run)


def render_pptx(document: dict) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    header = document["header"]
    stamp = document.get("stamp") or {}
    number = 1
    cover = deck.slides.add_slide(blank)
    _furniture(cover, document, number)
    title = cover.shapes.add_textbox(MARGIN, Inches(2.2), WIDTH - 2 * MARGIN, Inches(1.2)).text_frame
    title.word_wrap = True
    _text(title, header["title"], size=36, bold=True, colour=_rgb(settings.REPORT_HEADING_COLOUR))
    sub = cover.shapes.add_textbox(MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(1.6)).text_frame
    sub.word_wrap = True
    _text(sub, f"{header['board']} · {header['meeting']} · {header['status']}", size=18)
    if stamp.get("note"):
        note = sub.add_paragraph()
        run = note.add_run()
        run.text = stamp["note"]
        run.font.size = Pt(11)
    for section in document["sections"]:
        heading = f"{section['number']} {section['heading']}".strip()
        for page, (kind, content) in enumerate(_pages(section)):
            number += 1
            slide = deck.slides.add_slide(blank)
            _furniture(slide, document, number)
            _title(slide, heading + (" (continued)" if page else ""))
            if kind == "paragraphs":
                _paragraphs(slide, content)
            elif kind == "table":
                _table(slide, *content)
            else:
                _figure(slide, content)
    properties = deck.core_properties
    properties.title = header["title"]
    properties.author = properties.last_modified_by = stamp.get("author") or header["board"]
    properties.subject = f"{header['board']}, {header['meeting']}"
    properties.keywords = document["marking"]
    properties.revision = 1
    if stamp.get("created"):
        created = datetime.fromisoformat(stamp["created"]).astimezone(UTC).replace(tzinfo=None)
        properties.created = properties.modified = created
    output = BytesIO()
    deck.save(output)
    return output.getvalue()
