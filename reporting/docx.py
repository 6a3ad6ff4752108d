"""Reports as Word documents through python-docx, as a committee secretary formats them and can keep editing.

A4 with 2.5 cm margins, in the house style (`REPORT_FONT`, `REPORT_FONT_SIZE`, `REPORT_HEADING_COLOUR`; default
Arial 12 with black headings). Section headings use Word's Heading 1 style and paragraphs are numbered by Word
itself (a two-level list: 1 for a section, 1.1 for its paragraphs), so inserting a paragraph in Word renumbers
the rest; bullets sit under their paragraph's text. Tables are sized to their content and repeat their header
row on each page; status cells are shaded with their level's colour; pictures fit the text width. The
protective marking (and DRAFT or SUPERSEDED) heads every page and the footer says "Page X of Y". The document's
properties name the paper, the organisation as its author, and when it was published.
"""

from datetime import UTC, datetime
from io import BytesIO

from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

from changeprog.drawing import to_png

MARGIN = Cm(2.5)
# The text width of an A4 page with 2.5 cm margins: the widest a picture or a table may be.
PAGE_WIDTH = Cm(21 - 2 * 2.5)
# Where a numbered paragraph's text starts (its number hangs in the indent), and a bullet's extra indent.
PARAGRAPH_TEXT = 1134
BULLET_INDENT = 357


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _add_numbering(document, style: str = "decimal") -> int:
    """Add a two-level list definition ("1", "1.1"; or lettered, "A.", "A.1") and return its numbering id."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = _element("w:abstractNum", abstractNumId=abstract_id)
    abstract.append(_element("w:multiLevelType", val="multilevel"))
    section_text = "%1." if style == "letter" else "%1"
    for level, text, indent in ((0, section_text, 0), (1, "%1.%2", 567)):
        lvl = _element("w:lvl", ilvl=level)
        lvl.append(_element("w:start", val=1))
        lvl.append(_element("w:numFmt", val="upperLetter" if style == "letter" and level == 0 else "decimal"))
        lvl.append(_element("w:lvlText", val=text))
        lvl.append(_element("w:lvlJc", val="left"))
        properties = _element("w:pPr")
        properties.append(_element("w:ind", left=indent + 567, hanging=567))  # level 1's text at PARAGRAPH_TEXT
        lvl.append(properties)
        abstract.append(lvl)
    # abstractNum elements must come before num elements in numbering.xml.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = _element("w:num", numId=num_id)
    num.append(_element("w:abstractNumId", val=abstract_id))
    numbering.append(num)
    return num_id


def _number(paragraph, num_id: int, level: int):
    properties = paragraph._p.get_or_add_pPr()
    numbering = _element("w:numPr")
    numbering.append(_element("w:ilvl", val=level))
    numbering.append(_element("w:numId", val=num_id))
    properties.append(numbering)


def _shade(cell, colour: str):
    properties = cell._tc.get_or_add_tcPr()
    properties.append(_element("w:shd", val="clear", color="auto", fill=colour.lstrip("#").upper()))


def _field(run, instruction: str):
    """A Word field (e.g. PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    run._r.append(_element("w:fldChar", fldCharType="begin"))
    text = _element("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run._r.append(_element("w:fldChar", fldCharType="end"))


def _header_and_footer(document, marking: str, banner: str = ""):
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = 1
    header.runs[0].bold = True
    if banner:  # DRAFT, or SUPERSEDED: on every page, under the marking
        stamp = section.header.add_paragraph()
        stamp.alignment = 1
        run = stamp.add_run(banner)
        run.bold = True
        run.font.color.rgb = RGBColor(0xD4, 0x35, 0x1C)
    footer = section.footer.paragraphs[0]
    footer.alignment = 1
    footer.add_run("Page ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" of ")
    _field(footer.add_run(), "NUMPAGES")


def column_widths(block: dict, total: int = PAGE_WIDTH) -> list[int]:
    """Each column's width (EMU) from its content: the longest word sets the least a column needs (a header
    word is never split), the longest text what it would like; shared out so that the table fills no more
    than the text width. Characters are measured at the house font size (bold headers a little wider)."""
    char = Pt(settings.REPORT_FONT_SIZE * 0.62)
    padding = Cm(0.45)  # Word's default cell margins, both sides, and a little air
    texts = [[block["columns"][i]] + [row[i]["text"] for row in block["rows"]] for i in range(len(block["columns"]))]
    least = [max((len(w) for t in column for w in t.split()), default=1) * char + padding for column in texts]
    wanted = [
        max(max((len(t) for t in column), default=1) * char + padding, low)
        for column, low in zip(texts, least, strict=True)
    ]
    if sum(wanted) <= total:  # everything fits on one line per cell: size to the content
        return [int(w) for w in wanted]
    spare = total - sum(least)
    extra = [w - low for w, low in zip(wanted, least, strict=True)]
    if spare <= 0 or not sum(extra):
        return [int(total * low / sum(least)) for low in least]
    return [int(low + spare * e / sum(extra)) for low, e in zip(least, extra, strict=True)]


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    properties.append(_element("w:tblHeader", val="true"))
    properties.append(_element("w:cantSplit", val="true"))


def _table(document, block: dict):
    caption = document.add_paragraph(block["caption"])
    caption.runs[0].bold = True
    caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block["columns"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = column_widths(block)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    _repeat_header(table.rows[0])
    for cell, column in zip(table.rows[0].cells, block["columns"], strict=True):
        cell.text = column
        cell.paragraphs[0].runs[0].bold = True
    for row in block["rows"]:
        added = table.add_row()
        added._tr.get_or_add_trPr().append(_element("w:cantSplit", val="true"))
        for cell, value in zip(added.cells, row, strict=True):
            cell.text = value["text"]
            if value.get("colour"):
                _shade(cell, value["colour"])
                run = cell.paragraphs[0].runs[0]
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(value["text_colour"].lstrip("#").upper())
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.add_paragraph()  # space after the table, as a secretary leaves it


def _figure(document, block: dict):
    """A server-drawn picture as a PNG, scaled to the page, with its caption and a description for screen
    readers in the picture's alternative text."""
    width = min(PAGE_WIDTH, Cm(block["width"] * 2.54 / 96))
    document.add_picture(BytesIO(to_png(block)), width=width)
    picture = document.inline_shapes[-1]._inline
    picture.docPr.set("descr", f"{block['caption']}. {block['description']}")
    caption = document.add_paragraph(block["caption"])
    caption.runs[0].bold = True


def _paragraph(word, block: dict):
    if block["subheading"] and not block["text"] and not block.get("bullets"):
        return word.add_heading(block["subheading"], level=2)
    paragraph = word.add_paragraph()
    if block["subheading"]:
        paragraph.add_run(block["subheading"]).bold = True
        paragraph.add_run().add_break()
    paragraph.add_run(block["text"])
    return paragraph


def _house_style(word):
    """A4, 2.5 cm margins, and the house font, size and heading colour on the body and every heading style
    (Word's own heading styles otherwise take the theme's font and blue)."""
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = MARGIN
    font, size = settings.REPORT_FONT, settings.REPORT_FONT_SIZE
    colour = RGBColor.from_string(settings.REPORT_HEADING_COLOUR)
    for name, points in (("Normal", size), ("Title", size + 8), ("Heading 1", size + 2), ("Heading 2", size)):
        style = word.styles[name]
        style.font.name = font
        style.font.size = Pt(points)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        fonts.set(qn("w:eastAsia"), font)
        if name != "Normal":
            style.font.color.rgb = colour
            style.font.bold = True
    word.styles["List Bullet"].font.name = font


def _properties(word, document: dict, stamp: dict):
    properties = word.core_properties
    properties.title = document["header"]["title"]
    properties.subject = f"{document['header']['board']}, {document['header']['meeting']}"
    properties.author = properties.last_modified_by = stamp.get("author") or document["header"]["board"]
    properties.comments = stamp.get("note", "")
    properties.keywords = document["marking"]
    properties.category = document["marking"]
    properties.revision = 1
    created = datetime.fromisoformat(stamp["created"]) if stamp.get("created") else datetime(2000, 1, 1, tzinfo=UTC)
    created = created.astimezone(UTC).replace(tzinfo=None)  # Word's properties are in UTC
    properties.created = properties.modified = created
    properties.last_printed = created


def _bullet(word, text: str, numbered: bool):
    bullet = word.add_paragraph(text, style="List Bullet")
    start = PARAGRAPH_TEXT if numbered else 0
    bullet.paragraph_format.left_indent = Twips(start + BULLET_INDENT)
    bullet.paragraph_format.first_line_indent = Twips(-BULLET_INDENT)
    return bullet


def render_docx(document: dict) -> bytes:
    word = Document()
    _house_style(word)
    stamp = document.get("stamp") or {}
    _properties(word, document, stamp)
    _header_and_footer(word, document["marking"], stamp.get("banner", ""))
    lists = {}  # one Word list per numbering style, so that lettered and numbered sections count apart
    header = document["header"]
    if header["addressed_to"]:
        word.add_paragraph().add_run(header["addressed_to"]).bold = True
    word.add_paragraph(header["meeting"])
    if header["executive_officer"]:
        word.add_paragraph(f"Executive Officer: {header['executive_officer']}")
    word.add_paragraph(f"Status: {header['status']}")
    word.add_heading(header["title"], level=0)
    for section in document["sections"]:
        heading = word.add_heading(section["heading"], level=1)
        style = section.get("numbering") or "decimal"
        if section["number"]:
            num_id = lists.get(style) or lists.setdefault(style, _add_numbering(word, style))
            _number(heading, num_id, 0)
        for block in section["blocks"]:
            if block["type"] == "table":
                _table(word, block)
                continue
            if block["type"] == "figure":
                _figure(word, block)
                continue
            paragraph = _paragraph(word, block)
            if block.get("number"):
                _number(paragraph, num_id, 1)
            for bullet in block.get("bullets", []):
                _bullet(word, bullet, bool(block.get("number")))
    signed = document["signed"]
    if signed["role"] or signed["name"]:
        word.add_paragraph(f"{signed['role']}\n{signed['name']}".strip())
    if stamp.get("note"):
        note = word.add_paragraph().add_run(stamp["note"])
        note.font.size = Pt(8)
    output = BytesIO()
    word.save(output)
    return output.getvalue()
