"""The risk heat map and the dependency map, drawn once (as `changeprog.drawing` figures) for the pages, the
dashboard and the papers alike. On a page each heat-map cell and each mapped project is a link a keyboard and a
screen reader reach; in a paper the same picture has no links."""

from changeprog.drawing import box, figure, label, line

ALERT = "#D4351C"
QUIET = "#505A5F"


def heat_map_figure(rows, *, caption: str, cell: int = 56, link=None) -> dict:
    """A likelihood × impact grid, each cell in its band's colour with the number of risks in it. `rows` is
    `risks.selectors.heat_map`'s, highest likelihood first; `link(likelihood, impact)` gives a cell's address on a
    page."""
    left, top = 90, 10
    shapes, description = [], []
    for r, row in enumerate(rows):
        for c, (likelihood, impact, count, band) in enumerate(row):
            words = f"Likelihood {likelihood}, impact {impact}: {count} risk{'s' if count != 1 else ''}, {band.name}"
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
                    href=link(likelihood, impact) if link else "",
                    link_label=words if link else "",
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


def dependency_map_figure(
    workstreams, nodes, edges, *, caption: str, col_width=230, node_width=200, node_height=40, row_height=56, top=40
) -> dict:
    """Projects in columns by workstream (then what lies outside the programme), and a line for each
    dependency: red where it needs attention, dashed where it crosses workstreams. Only columns with something
    in them are drawn."""
    names = [w.name for w in workstreams] + ["Outside the programme"]
    used = sorted({n.column for n in nodes})
    place = {column: i for i, column in enumerate(used)}
    boxes = {n.key: (10 + place[n.column] * col_width, top + n.row * row_height) for n in nodes}
    shapes = [
        label(x, 20, _short(names[column], 28), bold=True)
        for column, x in ((c, 10 + place[c] * col_width) for c in used)
    ]
    description = []
    for edge in edges:
        (sx, sy), (tx, ty) = boxes[edge.source.key], boxes[edge.target.key]
        y1, y2 = sy + node_height // 2, ty + node_height // 2
        attention = any(flag != "crosses workstreams" for flag in edge.flags)
        style = {
            "colour": ALERT if attention else QUIET,
            "width": 3 if attention else 2,
            "dashed": "crosses workstreams" in edge.flags,
        }
        if tx == sx:
            # Within one column: an arc out to the right and back.
            x = sx + node_width
            shapes.append(line([(x, y1), (x + 24, y1), (x + 24, y2), (x, y2)], curve=True, **style))
        else:
            x1 = sx + node_width if tx > sx else sx
            x2 = tx if tx > sx else tx + node_width
            shapes.append(line([(x1, y1), (x2, y2)], **style))
        description.append(
            f"{edge.source.label} depends on {edge.target.label}"
            + (f" ({', '.join(edge.flags)})" if edge.flags else "")
        )
    for node in nodes:
        x, y = boxes[node.key]
        text = _short(node.label, 32) + (f" – {node.attention}" if node.attention else "")
        shapes.append(
            box(
                x,
                y,
                node_width,
                node_height,
                text=text,
                fill="#FBE3E0" if node.attention else "#FFFFFF",
                stroke=ALERT if node.attention else "#0B0C0C",
                colour="#0B0C0C",
                href=node.url,
                link_label=f"{node.label}{f', {node.attention}' if node.attention else ''}" if node.url else "",
            )
        )
    rows = max([n.row for n in nodes], default=0) + 1
    return figure(
        caption,
        ("; ".join(description) or "No open dependencies") + ".",
        max(len(used), 1) * col_width + 20,
        top + rows * row_height + 10,
        shapes,
    )


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
