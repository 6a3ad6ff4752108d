"""Pictures that belong to reports (the programme's structure before and after a review), drawn with the core's
primitives (`changeprog.drawing`), and the stylesheet of a document's status colours. The risk heat map and the
dependency map are drawn once, in `risks.drawing`, for pages and papers alike."""

from changeprog.drawing import (
    CHAR_WIDTH,
    LINE_HEIGHT,
    NEUTRAL,
    box,
    colour_pairs_stylesheet,
    figure,
    label,
    lines_height,
)


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
