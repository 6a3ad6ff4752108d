"""Pictures in reports, drawn on the server from the data.

A figure is plain, JSON-ready data: a size and a list of shapes (boxes with wrapped text, and text). Reports
store figures in their snapshot like any other block, so a published picture never changes; the web page and
the PDF draw it as SVG (`to_svg`), the Word file as a PNG (`to_png`), both from the same shapes.
"""

import re
from functools import cache
from io import BytesIO
from pathlib import Path
from textwrap import wrap

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

FONT_SIZE = 11
LINE_HEIGHT = 14
# An average character of the sans-serif font at FONT_SIZE, for wrapping text in boxes without measuring it.
CHAR_WIDTH = 6.2
BOLD_CHAR_WIDTH = 7.0
NEUTRAL = {"fill": "#F2F2F2", "stroke": "#7F7F7F", "text": "#000000"}


HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def colour_class_name(background: str, text: str) -> str:
    """A CSS class for a pair of colours, e.g. rc-D4351C-FFFFFF; anything but a #RRGGBB colour is dropped."""
    parts = [c[1:].upper() if HEX.match(c or "") else "000000" for c in (background, text)]
    return f"rc-{parts[0]}-{parts[1]}"


def colour_stylesheet(document: dict) -> str:
    """The stylesheet for every status colour pair a document's tables use."""
    return colour_pairs_stylesheet(
        (c.get("colour"), c.get("text_colour"))
        for section in document["sections"]
        for block in section["blocks"]
        if block["type"] == "table"
        for row in block["rows"]
        for c in row
        if c.get("colour")
    )


def colour_pairs_stylesheet(pairs) -> str:
    rules = []
    for background, text in sorted(set(pairs)):
        name = colour_class_name(background, text)
        _, bg, fg = name.split("-")
        rules.append(f".{name} {{ background-color: #{bg}; color: #{fg}; }}")
    return "\n".join(rules) + "\n"


def box(x, y, w, h, *, text="", fill=NEUTRAL["fill"], stroke=NEUTRAL["stroke"], colour=NEUTRAL["text"], bold=False):
    lines = wrap(text, _fits(w, bold)) if text else []
    return {
        "kind": "box",
        "x": x,
        "y": y,
        "w": w,
        "h": h,
        "fill": fill,
        "stroke": stroke,
        "colour": colour,
        "lines": lines,
        "bold": bold,
    }


def label(x, y, text, *, anchor="start", bold=False, colour="#000000"):
    return {"kind": "text", "x": x, "y": y, "text": text, "anchor": anchor, "bold": bold, "colour": colour}


def figure(caption: str, description: str, width: int, height: int, shapes: list[dict]) -> dict:
    return {
        "type": "figure",
        "caption": caption,
        "description": description,
        "width": width,
        "height": height,
        "shapes": shapes,
    }


def _fits(width: float, bold: bool = False) -> int:
    """How many characters fit on a line of a box `width` wide."""
    return max(4, int((width - 10) // (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)))


def lines_height(text: str, width: int, bold: bool = False) -> int:
    return max(1, len(wrap(text, _fits(width, bold)))) * LINE_HEIGHT + 10


# --- Figures drawn from the data -------------------------------------------------------------------------------


def structure_figure(caption: str, workstreams, *, width: int = 900) -> dict:
    """The programme as the seed draws it: one column per workstream, its projects below it, each coloured by
    its status. `workstreams` is a list of (name, level or None, [(project name, level or None), ...])."""
    if not workstreams:
        return figure(caption, "The programme had no open workstreams.", width, 40, [label(8, 24, "No workstreams")])
    per_row = min(len(workstreams), 5)
    gap = 12
    column = (width - gap * (per_row + 1)) // per_row
    shapes, used, y, description = [], {}, gap, []
    for start in range(0, len(workstreams), per_row):
        row_height = 0
        for i, (name, level, projects) in enumerate(workstreams[start : start + per_row]):
            x = gap + i * (column + gap)
            head = lines_height(name, column, bold=True) + 6
            shapes.append(box(x, y, column, head, text=name, bold=True, **_colours(level, used)))
            py = y + head + 6
            for project, project_level in projects:
                h = lines_height(project, column - 12)
                shapes.append(box(x + 12, py, column - 12, h, text=project, **_colours(project_level, used)))
                py += h + 4
            row_height = max(row_height, py - y)
            description.append(
                f"{name} ({level.label if level else 'no status'}): "
                + (", ".join(f"{p} ({pl.label if pl else 'no status'})" for p, pl in projects) or "no projects")
            )
        y += row_height + gap
    shapes.extend(_legend(used, y, width))
    height = y + (LINE_HEIGHT + 14 if used else 0)
    return figure(caption, "; ".join(description) + ".", width, height, shapes)


def heat_map_figure(caption: str, rows, *, cell: int = 56) -> dict:
    """A likelihood × impact grid, each cell in its band's colour with the number of risks in it. `rows` is
    risks.selectors.heat_map's, highest likelihood first."""
    left, top = 90, 10
    shapes, description = [], []
    for r, row in enumerate(rows):
        for c, (likelihood, impact, count, band) in enumerate(row):
            shapes.append(
                box(
                    left + c * cell,
                    top + r * cell,
                    cell,
                    cell,
                    text=str(count) if count else "",
                    fill=band.colour,
                    stroke="#FFFFFF",
                    colour=band.text_colour,
                    bold=True,
                )
            )
            if count:
                description.append(f"{count} at likelihood {likelihood}, impact {impact} ({band.name})")
        shapes.append(label(left - 8, top + r * cell + cell // 2 + 4, str(row[0][0]), anchor="end"))
    size_y = len(rows) * cell
    for c, (_, impact, _, _) in enumerate(rows[0] if rows else []):
        shapes.append(label(left + c * cell + cell // 2, top + size_y + 16, str(impact), anchor="middle"))
    shapes.append(
        label(left + len(rows[0]) * cell // 2 if rows else left, top + size_y + 34, "Impact", anchor="middle")
    )
    shapes.append(label(4, top + size_y // 2, "Likelihood"))
    width = left + (len(rows[0]) if rows else 0) * cell + 10
    return figure(
        caption,
        "Open risks by likelihood and impact: " + ("; ".join(description) or "none") + ".",
        width,
        top + size_y + 44,
        shapes,
    )


def _colours(level, used: dict) -> dict:
    if level is None:
        used.setdefault("No status recorded", None)
        return {}
    used.setdefault(level.label, level)
    return {"fill": level.colour, "stroke": "#404040", "colour": level.text_colour}


def _legend(used: dict, y: int, width: int) -> list[dict]:
    shapes, x = [], 12
    for name, level in used.items():
        item = 24 + len(name) * CHAR_WIDTH + 16
        if x + item > width:
            break
        fill = level.colour if level else NEUTRAL["fill"]
        shapes.append(box(x, y, 16, 14, fill=fill, stroke=NEUTRAL["stroke"] if level is None else "#404040"))
        shapes.append(label(x + 22, y + 11, name))
        x += item
    return shapes


# --- SVG for the web page and the PDF ----------------------------------------------------------------------------


def to_svg(fig: dict) -> SafeString:
    parts = []
    for shape in fig["shapes"]:
        if shape["kind"] == "box":
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" rx="3"/>',
                    shape["x"],
                    shape["y"],
                    shape["w"],
                    shape["h"],
                    shape["fill"],
                    shape["stroke"],
                )
            )
            first = shape["y"] + (shape["h"] - len(shape["lines"]) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 3
            parts.append(
                format_html_join(
                    "",
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="{}">{}</text>',
                    (
                        (
                            shape["x"] + shape["w"] / 2,
                            round(first + i * LINE_HEIGHT, 1),
                            shape["colour"],
                            "bold" if shape["bold"] else "normal",
                            line,
                        )
                        for i, line in enumerate(shape["lines"])
                    ),
                )
            )
        else:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-weight="{}">{}</text>',
                    shape["x"],
                    shape["y"],
                    shape["anchor"],
                    shape["colour"],
                    "bold" if shape["bold"] else "normal",
                    shape["text"],
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="report-figure-svg" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-label="{label}" font-family="DejaVu Sans, Arial, sans-serif" '
        'font-size="{size}">{body}</svg>',
        w=fig["width"],
        h=fig["height"],
        label=f"{fig['caption']}. {fig['description']}",
        size=FONT_SIZE,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )


# --- PNG for Word ------------------------------------------------------------------------------------------------

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/Library/Fonts", "C:/Windows/Fonts")


@cache
def _font(bold: bool, size: int):
    from PIL import ImageFont

    names = ("DejaVuSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf") if bold else ("DejaVuSans.ttf", "Arial.ttf")
    for folder in FONT_DIRS:
        for name in names:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def to_png(fig: dict, *, scale: int = 2) -> bytes:
    """The figure as a PNG at `scale` times its size, so that it stays sharp when printed from Word."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (fig["width"] * scale, fig["height"] * scale), "white")
    draw = ImageDraw.Draw(image)
    size = FONT_SIZE * scale
    for shape in fig["shapes"]:
        if shape["kind"] == "box":
            x, y, w, h = (shape[k] * scale for k in ("x", "y", "w", "h"))
            draw.rounded_rectangle((x, y, x + w, y + h), radius=3 * scale, fill=shape["fill"], outline=shape["stroke"])
            font = _font(shape["bold"], size)
            first = y + (h - len(shape["lines"]) * LINE_HEIGHT * scale) / 2
            for i, line in enumerate(shape["lines"]):
                draw.text(
                    (x + w / 2, first + (i + 0.5) * LINE_HEIGHT * scale),
                    line,
                    fill=shape["colour"],
                    font=font,
                    anchor="mm",
                )
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape["anchor"]]
            draw.text(
                (shape["x"] * scale, shape["y"] * scale),
                shape["text"],
                fill=shape["colour"],
                font=_font(shape["bold"], size),
                anchor=anchor,
            )
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
