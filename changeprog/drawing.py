"""Pictures drawn on the server, one way for every page, PDF and Word file.

A figure is plain, JSON-ready data: a size and a list of shapes (boxes with wrapped text, text, and lines).
Reports store figures in their snapshot like any other block, so a published picture never changes. Pages and
PDFs draw a figure as SVG (`to_svg`), Word files as a PNG (`to_png`), both from the same shapes. A shape may
link somewhere (`href`): on a page the link is a real link a keyboard and a screen reader reach, each with its
own words; the PNG simply has no links.
"""

import json
import re
import zlib
from functools import cache, lru_cache
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


# --- Colours as classes (no inline style: the Content Security Policy refuses it) -----------------------------


def colour_class_name(background: str, text: str) -> str:
    """A CSS class for a pair of colours, e.g. rc-D4351C-FFFFFF; anything but a #RRGGBB colour is dropped."""
    parts = [c[1:].upper() if HEX.match(c or "") else "000000" for c in (background, text)]
    return f"rc-{parts[0]}-{parts[1]}"


def colour_pairs_stylesheet(pairs) -> str:
    rules = []
    for background, text in sorted(set(pairs)):
        name = colour_class_name(background, text)
        _, bg, fg = name.split("-")
        rules.append(f".{name} {{ background-color: #{bg}; color: #{fg}; }}")
    return "\n".join(rules) + "\n"


# --- Shapes -------------------------------------------------------------------------------------------------------


def _fits(width: float, bold: bool = False) -> int:
    return max(4, int((width - 8) / (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH)))


def lines_height(text: str, width: int, bold: bool = False) -> int:
    """The height a box of `width` needs for `text`, wrapped, with a little padding."""
    return max(1, len(wrap(text, _fits(width, bold)))) * LINE_HEIGHT + 10


def box(
    x,
    y,
    w,
    h,
    *,
    text="",
    fill=NEUTRAL["fill"],
    stroke=NEUTRAL["stroke"],
    colour=NEUTRAL["text"],
    bold=False,
    href="",
    link_label="",
):
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
        "href": href,
        "link_label": link_label,
    }


def label(x, y, text, *, anchor="start", bold=False, colour="#000000"):
    return {"kind": "text", "x": x, "y": y, "text": text, "anchor": anchor, "bold": bold, "colour": colour}


def line(points, *, colour="#505A5F", width=2, dashed=False, arrow=True, curve=False):
    """A line through `points` [(x, y), …], ending in an arrow; `curve` bends a four-point line (a Bézier)."""
    return {
        "kind": "line",
        "points": [list(p) for p in points],
        "colour": colour,
        "width": width,
        "dashed": dashed,
        "arrow": arrow,
        "curve": curve,
    }


def figure(caption: str, description: str, width: int, height: int, shapes: list[dict]) -> dict:
    return {
        "type": "figure",
        "caption": caption,
        "description": description,
        "width": width,
        "height": height,
        "shapes": shapes,
    }


# --- SVG for pages and PDFs ---------------------------------------------------------------------------------------


def _svg_box(shape) -> SafeString:
    rect = format_html(
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}" rx="3"/>',
        shape["x"],
        shape["y"],
        shape["w"],
        shape["h"],
        shape["fill"],
        shape["stroke"],
    )
    first = shape["y"] + (shape["h"] - len(shape["lines"]) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 3
    words = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-weight="{}">{}</text>',
        (
            (
                shape["x"] + shape["w"] / 2,
                round(first + i * LINE_HEIGHT, 1),
                shape["colour"],
                "bold" if shape["bold"] else "normal",
                text,
            )
            for i, text in enumerate(shape["lines"])
        ),
    )
    if shape.get("href"):
        return format_html(
            '<a href="{}" aria-label="{}">{}{}</a>', shape["href"], shape.get("link_label") or "", rect, words
        )
    return format_html("{}{}", rect, words)


def _svg_line(shape) -> SafeString:
    points = shape["points"]
    if shape["curve"] and len(points) == 4:
        (x1, y1), (c1x, c1y), (c2x, c2y), (x2, y2) = points
        path = f"M {x1} {y1} C {c1x} {c1y}, {c2x} {c2y}, {x2} {y2}"
    else:
        path = "M " + " L ".join(f"{x} {y}" for x, y in points)
    marker = "arrow-alert" if shape["colour"].upper() == "#D4351C" else "arrow"
    return format_html(
        '<path d="{}" fill="none" stroke="{}" stroke-width="{}"{}{}/>',
        path,
        shape["colour"],
        shape["width"],
        format_html(' stroke-dasharray="{}"', "6 4") if shape["dashed"] else "",
        format_html(' marker-end="url(#{})"', marker) if shape["arrow"] else "",
    )


def _svg_text(shape) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" fill="{}" font-weight="{}">{}</text>',
        shape["x"],
        shape["y"],
        shape["anchor"],
        shape["colour"],
        "bold" if shape["bold"] else "normal",
        shape["text"],
    )


def _arrow_marker(marker_id: str, colour: str) -> SafeString:
    return format_html(
        '<marker id="{}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{}"/></marker>',
        marker_id,
        colour,
    )


def _arrows() -> SafeString:
    return format_html("<defs>{}{}</defs>", _arrow_marker("arrow", "#505A5F"), _arrow_marker("arrow-alert", "#D4351C"))


def to_svg(fig: dict, *, css_class: str = "report-figure-svg", title_id: str = "") -> SafeString:
    """The figure as inline SVG. A figure without links is one image with its description; one with links is a
    group whose title describes it and whose links are each reachable and named."""
    draw = {"box": _svg_box, "line": _svg_line, "text": _svg_text}
    lines = [s for s in fig["shapes"] if s["kind"] == "line"]
    # Lines first, so boxes sit on top of the lines that join them.
    ordered = lines + [s for s in fig["shapes"] if s["kind"] != "line"]
    body = format_html_join("", "{}", ((draw[s["kind"]](s),) for s in ordered))
    if lines:
        body = format_html("{}{}", _arrows(), body)
    words = f"{fig['caption']}. {fig['description']}"
    common = {
        "cls": css_class,
        "w": fig["width"],
        "h": fig["height"],
        "size": FONT_SIZE,
        "body": body,
    }
    if any(s.get("href") for s in fig["shapes"]):
        title_id = title_id or f"figure-{zlib.crc32(fig['caption'].encode()):08x}"
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'role="group" aria-labelledby="{tid}" font-family="DejaVu Sans, Arial, sans-serif" font-size="{size}">'
            '<title id="{tid}">{words}</title>{body}</svg>',
            tid=title_id,
            words=words,
            **common,
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{cls}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{words}" font-family="DejaVu Sans, Arial, sans-serif" font-size="{size}">{body}</svg>',
        words=words,
        **common,
    )


# --- PNG for Word -------------------------------------------------------------------------------------------------

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


def _bezier(points, steps=16):
    (x1, y1), (c1x, c1y), (c2x, c2y), (x2, y2) = points
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        out.append((a * x1 + b * c1x + c * c2x + d * x2, a * y1 + b * c1y + c * c2y + d * y2))
    return out


def to_png(fig: dict, *, scale: int = 2) -> bytes:
    """The figure as a PNG at `scale` times its size, so that it stays sharp when printed from Word. The same
    figure is drawn once for a paper's Word file and its slides (the last few drawn are kept, by their shapes)."""
    return _png(json.dumps(fig, sort_keys=True), scale)


@lru_cache(maxsize=16)
def _png(shapes: str, scale: int) -> bytes:
    from PIL import Image, ImageDraw

    fig = json.loads(shapes)
    image = Image.new("RGB", (fig["width"] * scale, fig["height"] * scale), "white")
    draw = ImageDraw.Draw(image)
    size = FONT_SIZE * scale
    for shape in sorted(fig["shapes"], key=lambda s: s["kind"] != "line"):
        if shape["kind"] == "line":
            points = _bezier(shape["points"]) if shape["curve"] and len(shape["points"]) == 4 else shape["points"]
            draw.line([(x * scale, y * scale) for x, y in points], fill=shape["colour"], width=shape["width"] * scale)
        elif shape["kind"] == "box":
            x, y, w, h = (shape[k] * scale for k in ("x", "y", "w", "h"))
            draw.rounded_rectangle((x, y, x + w, y + h), radius=3 * scale, fill=shape["fill"], outline=shape["stroke"])
            font = _font(shape["bold"], size)
            first = y + (h - len(shape["lines"]) * LINE_HEIGHT * scale) / 2
            for i, text in enumerate(shape["lines"]):
                draw.text(
                    (x + w / 2, first + (i + 0.5) * LINE_HEIGHT * scale),
                    text,
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
