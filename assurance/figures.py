"""The benefits chart: planned against realised, one bar pair per benefit, drawn as a report figure (so the
page and the PDF show it as SVG and Word as PNG)."""

from changeprog.drawing import CHAR_WIDTH, box, figure, label

PLANNED = "#B1B4B6"
REALISED = "#00703C"


def benefits_chart(rows, *, width: int = 760) -> dict | None:
    """Each benefit's realised change as a share of its planned change (baseline to target), 0–100 %+."""
    if not rows:
        return None
    name_width = 260
    bar_width = width - name_width - 70
    bar, gap, top = 14, 12, 24
    shapes = [
        label(name_width, 14, "0 %", anchor="middle"),
        label(name_width + bar_width, 14, "100 % of target", anchor="end"),
    ]
    description = []
    y = top
    for row in rows:
        title = row.benefit.title
        shown = (
            title if len(title) * CHAR_WIDTH < name_width - 10 else title[: int((name_width - 20) / CHAR_WIDTH)] + "…"
        )
        shapes.append(label(name_width - 8, y + bar + 4, shown, anchor="end"))
        shapes.append(box(name_width, y, bar_width, bar, fill=PLANNED, stroke=PLANNED))
        percent = row.realised_percent
        if percent is not None and percent > 0:
            filled = min(percent, 100) * bar_width / 100
            shapes.append(box(name_width, y + bar + 2, filled, bar, fill=REALISED, stroke=REALISED))
        text = "not measured" if row.latest is None else (f"{percent} %" if percent is not None else "—")
        shapes.append(label(name_width + bar_width + 6, y + bar + 4, text))
        description.append(f"{title}: {text} of the planned change realised")
        y += 2 * bar + 2 + gap
    legend_y = y + 4
    shapes += [
        box(name_width, legend_y, 14, 12, fill=PLANNED, stroke=PLANNED),
        label(name_width + 20, legend_y + 10, "Planned (baseline to target)"),
        box(name_width + 230, legend_y, 14, 12, fill=REALISED, stroke=REALISED),
        label(name_width + 250, legend_y + 10, "Realised by the latest measurement"),
    ]
    return figure("Benefits: planned against realised", "; ".join(description) + ".", width, legend_y + 20, shapes)
