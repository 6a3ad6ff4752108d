"""Generated report sections for assurance and value: drivers and evidence, business cases, benefits,
embedding and decisions, each as it stood at the report's date."""

from assurance import selectors
from assurance.figures import benefits_chart
from assurance.models import BusinessCase, CaseStatus, Decision, DecisionStatus
from reporting.document import cell, day, paragraph, table
from reporting.sections.context import Context


def drivers_evidence(ctx: Context) -> list[dict]:
    """Each driver the programme's work answers, what answers it, and the evidence provided by the date."""
    drivers = selectors.programme_drivers(ctx.programme, as_of=ctx.as_of)
    if not drivers:
        return [paragraph("No inspection findings, audit recommendations or plan priorities are linked to the work.")]
    blocks = []
    for driver in drivers:
        source = ", ".join(filter(None, [driver.source, driver.reference, day(driver.issued_on)]))
        lines = [f"{driver.get_kind_display()}: {driver.title} ({source})."]
        work = ", ".join(item.name for item in driver.answered_by)
        lines.append(f"· Answered by {work}.")
        evidence = list(driver.evidence.all())
        for item in evidence:
            accepted = (
                f"; accepted on {day(item.accepted_on)}"
                if item.accepted_on and item.accepted_on <= ctx.as_of
                else "; not yet accepted"
            )
            lines.append(f"· Evidence provided on {day(item.provided_on)}: {item.summary}{accepted}.")
        if not evidence:
            lines.append("· No evidence had been provided by the date of this report.")
        blocks.append(paragraph("\n".join(lines)))
    return blocks


def _status_as_at(case: BusinessCase, as_of):
    decisions = [d for d in case.decisions.all() if d.on <= as_of]
    return (CaseStatus(decisions[-1].outcome).label, decisions[-1]) if decisions else (CaseStatus.DRAFT.label, None)


def business_cases(ctx: Context) -> list[dict]:
    cases = list(
        BusinessCase.objects.filter(programme=ctx.programme, created_at__date__lte=ctx.as_of)
        .prefetch_related("funding", "decisions__board", "workstreams")
        .order_by("title", "-version")
    )
    if not cases:
        return [paragraph("No business case had been drafted for the programme by the date of this report.")]
    rows = []
    for case in cases:
        status, last = _status_as_at(case, ctx.as_of)
        where = f"{last.board.name if last and last.board else ''} {day(last.on) if last else ''}".strip()
        rows.append(
            [
                cell(case.title),
                cell(case.version),
                cell(status),
                cell(", ".join(w.name for w in case.workstreams.all()) or "The whole programme"),
                cell(f"£{case.total_funding:,}" if case.total_funding else "—"),
                cell(where or "—"),
            ]
        )
    return [table("Business cases", ["Case", "Version", "Status", "Covers", "Funding asked", "Last decision"], rows)]


def benefits(ctx: Context) -> list[dict]:
    rows = selectors.programme_benefits(ctx.programme, as_of=ctx.as_of)
    if not rows:
        return [paragraph("No benefits had been recorded for the programme's work by the date of this report.")]
    unmeasured = sum(1 for r in rows if r.latest is None)
    blocks = [
        paragraph(
            f"{len(rows)} benefit{'s' if len(rows) != 1 else ''} planned; "
            f"{len(rows) - unmeasured} measured by {day(ctx.as_of)}."
        ),
        benefits_chart(rows),
    ]
    blocks.append(
        table(
            "Benefits: planned against realised",
            ["Benefit", "Owner", "Baseline", "Target", "Latest", "Realised"],
            [
                [
                    cell(r.benefit.title),
                    cell(r.benefit.owner_name),
                    cell(f"{r.benefit.baseline:,} {r.benefit.unit}"),
                    cell(f"{r.benefit.target:,} {r.benefit.unit} by {day(r.benefit.target_on)}"),
                    cell(f"{r.latest.value:,} ({day(r.latest.measured_on)})" if r.latest else "Not measured"),
                    cell(f"{r.realised_percent} %" if r.latest and r.realised_percent is not None else "—"),
                ]
                for r in rows
            ],
        )
    )
    return blocks


def embedding(ctx: Context) -> list[dict]:
    actions = selectors.programme_embedding(ctx.programme, as_of=ctx.as_of)
    if not actions:
        return [paragraph("No embedding actions had been recorded for closed work.")]

    def status(action):
        if action.completed_on and action.completed_on <= ctx.as_of:
            return f"Embedded {day(action.completed_on)}"
        if action.status == "cancelled":
            return "Cancelled"
        return "Overdue" if action.due_on < ctx.as_of else "Open"

    return [
        table(
            "Embedding after closure",
            ["Action", "Work", "Business owner", "Due", "Status"],
            [
                [cell(a.description), cell(a.work.name), cell(a.owner_name), cell(day(a.due_on)), cell(status(a))]
                for a in actions
            ],
        )
    ]


def decisions(ctx: Context) -> list[dict]:
    logged = list(
        Decision.objects.filter(programme=ctx.programme)
        .select_related("board")
        .order_by("decided_on", "needed_by", "pk")
    )
    made = [
        d
        for d in logged
        if d.status == DecisionStatus.MADE
        and d.decided_on
        and d.decided_on <= ctx.as_of
        and (ctx.since is None or d.decided_on > ctx.since)
    ]
    needed = [
        d
        for d in logged
        if d.status == DecisionStatus.NEEDED or (d.status == DecisionStatus.MADE and d.decided_on > ctx.as_of)
    ]
    blocks = []
    if needed:
        blocks.append(
            table(
                "Decisions needed",
                ["Decision", "Board", "Owner", "Needed by"],
                [
                    [cell(d.title), cell(d.board.name if d.board else ""), cell(d.owner_name), cell(day(d.needed_by))]
                    for d in needed
                ],
            )
        )
    if made:
        blocks.append(
            table(
                "Decisions made" + (f" since {day(ctx.since)}" if ctx.since else ""),
                ["Decision", "Board", "Date", "Outcome"],
                [
                    [cell(d.title), cell(d.board.name if d.board else ""), cell(day(d.decided_on)), cell(d.outcome)]
                    for d in made
                ],
            )
        )
    return blocks or [paragraph("No decisions were needed or made in the period.")]
