"""Sections from the risks app: the prioritisation of projects and the programme risk register as it stood at
the report's date, with the heat map drawn by `risks.drawing` (the same drawing as the heat map page)."""

from django.db import models

from reporting.document import cell, day, paragraph, table
from reporting.sections.context import Context
from risks.drawing import heat_map_figure
from risks.selectors import heat_map, ranking, register_rows_as_at
from risks.services import current_scheme


def prioritisation(ctx: Context) -> list[dict]:
    ranked, unassessed = ranking(ctx.programme)
    if not ranked:
        return [paragraph("No project had been assessed for prioritisation.")]
    counts = {}
    for row in ranked:
        counts.setdefault(row.priority.label, []).append(row.project.name)
    blocks = [paragraph("; ".join(f"{len(names)} {label}" for label, names in counts.items()) + ".")]
    blocks.append(
        table(
            "Projects by priority",
            ["Rank", "Project", "Band", "Why"],
            [[cell(r.rank), cell(r.project.name), cell(r.priority.label), cell(r.priority.rule)] for r in ranked],
        )
    )
    return blocks


def risk_summary(ctx: Context) -> list[dict]:
    """The programme's open risks as they stood at the report's date: how many, how many outside appetite,
    the heat map, and the ten highest current scores."""
    open_risks = register_rows_as_at(ctx.as_of).filter(register__programme=ctx.programme, status="open")
    counts = open_risks.order_by().aggregate(
        total=models.Count("pk"), outside=models.Count("pk", filter=models.Q(outside_appetite=True))
    )
    if not counts["total"]:
        return [paragraph(f"The programme risk register held no open risks at {day(ctx.as_of)}.")]
    top = list(open_risks.order_by("-current_score_db", "number")[:10])
    shown = "the highest ten are" if counts["total"] > 10 else "they are"
    blocks = [
        paragraph(
            f"At {day(ctx.as_of)} the programme risk register held {counts['total']} open risks, "
            f"{counts['outside']} of them outside appetite; {shown} listed below."
        )
    ]
    rows, _ = heat_map(open_risks, "current", current_scheme())
    blocks.append(heat_map_figure(rows, caption="Open programme risks by current likelihood and impact"))
    blocks.append(
        table(
            "Top programme risks",
            ["Reference", "Risk", "Current score", "Band", "Outside appetite"],
            [
                [
                    cell(f"{r.register.code}-R{r.number:03d}"),
                    cell(r.title),
                    cell(r.current_score_db),
                    cell(r.band_name),
                    cell("Yes" if r.outside_appetite else "No"),
                ]
                for r in top
            ],
        )
    )
    return blocks
