"""Sections from the risks app: the prioritisation of projects and the programme risk register as it stood at
the report's date, with the heat map drawn by `risks.drawing` (the same drawing as the heat map page)."""

from django.db import models

from reporting.document import cell, day, paragraph, table
from reporting.sections.context import Context
from risks.drawing import heat_map_figure
from risks.models import risk_reference
from risks.selectors import cell_counts, heat_map, ranking, register_rows_as_at, scheme_in_force


def _open_projects(ctx: Context) -> dict:
    """The projects open at the meeting, as they were then (their names at that date)."""
    return {p.item.pk: p.item for w in ctx.now.workstreams for p in w.projects if p.item.is_open}


def prioritisation(ctx: Context) -> list[dict]:
    """The ranking as it stood at the meeting: each open project's latest assessment made by then."""
    projects = _open_projects(ctx)
    ranked, unassessed = ranking(ctx.programme, as_of=ctx.as_of, open_projects=projects)
    if not ranked:
        return [paragraph("No project had been assessed for prioritisation.")]
    for row in ranked:
        row.project = projects.get(row.project.pk, row.project)
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
    rows = heat_map(cell_counts(open_risks, "current"), scheme_in_force(ctx.as_of))
    blocks.append(heat_map_figure(rows, caption="Open programme risks by current likelihood and impact"))
    blocks.append(
        table(
            "Top programme risks",
            ["Reference", "Risk", "Current score", "Band", "Outside appetite"],
            [
                [
                    cell(risk_reference(r.register.code, r.number)),
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


def _direction(now: int, then: int | None, *, compared: bool) -> str:
    if not compared:
        return ""
    if then is None:
        return "New"
    return "▲ Worse" if now > then else "▼ Better" if now < then else "● Same"


def top_risks(ctx: Context) -> list[dict]:
    """The programme's ten highest open risks at the meeting, with their inherent, current and target scores,
    band, and how the current score moved since the comparison date."""
    open_risks = register_rows_as_at(ctx.as_of).filter(register__programme=ctx.programme, status="open")
    top = list(open_risks.order_by("-current_score_db", "number")[:10])
    if not top:
        return [paragraph(f"The programme risk register held no open risks at {day(ctx.as_of)}.")]
    then = {}
    if ctx.since:
        earlier = register_rows_as_at(ctx.since).filter(id__in=[r.id for r in top], status="open")
        then = {r.id: r.current_score_db for r in earlier}
    columns = ["Reference", "Risk", "Inherent", "Current", "Target", "Band"]
    if ctx.since:
        columns.append(f"Since {day(ctx.since)}")
    rows = []
    for r in top:
        row = [
            cell(risk_reference(r.register.code, r.number)),
            cell(r.title),
            cell(r.inherent_score_db),
            cell(r.current_score_db),
            cell(r.target_score_db),
            cell(r.band_name),
        ]
        if ctx.since:
            row.append(cell(_direction(r.current_score_db, then.get(r.id), compared=True)))
        rows.append(row)
    return [table("Top programme risks", columns, rows)]
