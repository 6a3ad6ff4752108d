"""Reports as Word documents through python-docx, for a committee secretary to keep editing.

Section headings use Word's Heading 1 style and paragraphs are numbered by Word itself (a two-level list:
1 for a section, 1.1 for its paragraphs), so inserting a paragraph in Word renumbers the rest. Status cells
are shaded with their level's colour; the protective marking heads every page and the footer says
"Page X of Y".
"""

from io import BytesIO

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from changeprog.drawing import to_png

# The widest a picture may be on an A4 page with Word's default margins.
PAGE_WIDTH = Cm(15.9)


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _add_numbering(document) -> int:
    """Add a two-level list definition ("1", "1.1") to the document and return its numbering id."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = _element("w:abstractNum", abstractNumId=abstract_id)
    abstract.append(_element("w:multiLevelType", val="multilevel"))
    for level, text, indent in ((0, "%1", 0), (1, "%1.%2", 567)):
        lvl = _element("w:lvl", ilvl=level)
        lvl.append(_element("w:start", val=1))
        lvl.append(_element("w:numFmt", val="decimal"))
        lvl.append(_element("w:lvlText", val=text))
        lvl.append(_element("w:lvlJc", val="left"))
        properties = _element("w:pPr")
        properties.append(_element("w:ind", left=indent + 567, hanging=567))
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


def _header_and_footer(document, marking: str):
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = marking
    header.alignment = 1
    header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = 1
    footer.add_run("Page ")
    _field(footer.add_run(), "PAGE")
    footer.add_run(" of ")
    _field(footer.add_run(), "NUMPAGES")


def _table(document, block: dict):
    caption = document.add_paragraph(block["caption"])
    caption.runs[0].bold = True
    table = document.add_table(rows=1, cols=len(block["columns"]))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, block["columns"], strict=True):
        cell.text = column
        cell.paragraphs[0].runs[0].bold = True
    for row in block["rows"]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value["text"]
            if value.get("colour"):
                _shade(cell, value["colour"])
                run = cell.paragraphs[0].runs[0]
                run.bold = True
                run.font.color.rgb = RGBColor.from_string(value["text_colour"].lstrip("#").upper())


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


def render_docx(document: dict) -> bytes:
    word = Document()
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    _header_and_footer(word, document["marking"])
    num_id = _add_numbering(word)
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
        if section["number"]:
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
                word.add_paragraph(bullet, style="List Bullet")
    signed = document["signed"]
    if signed["role"] or signed["name"]:
        word.add_paragraph(f"{signed['role']}\n{signed['name']}".strip())
    output = BytesIO()
    word.save(output)
    return output.getvalue()
