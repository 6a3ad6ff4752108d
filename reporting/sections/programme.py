"""Sections about the programme's own status: what it reports and why, each workstream's update, the status
table, what changed since the comparison date, the status key, the structure before and after, and next steps."""

from datetime import date

from django.utils import formats, timezone

from changeprog.effective import end_of_day
from changeprog.people import person_name
from reporting import figures
from reporting.document import cell, day, paragraph, paragraphs, table
from reporting.models import Challenge, Report, ReportStatus
from reporting.sections.context import Context
from workstreams.changes import changes_between
from workstreams.models import StatusLevel


def _known_note(update, meeting: date) -> str:
    """A sentence saying that a status was recorded after the meeting, if it was: the paper then says it could
    not have been known at the meeting."""
    if update is None or update.created_at < end_of_day(meeting):
        return ""
    return f" (This status was recorded on {day(timezone.localdate(update.created_at))}, after the meeting date.)"


def _says(explanation: str, label: str) -> bool:
    """Whether a reason already says the status in its own words, e.g. "continue to report 'Red' status"."""
    return label.lower() in explanation.lower()


def programme_status(ctx: Context) -> list[dict]:
    """One paragraph per status and reason the dimensions share (Risk and Funding Red for one reason), then
    the progress and issues recorded with the programme's latest update."""
    status = ctx.now.status
    if status.update is None:
        return [paragraph("No programme status had been recorded by the date of this report.")]
    blocks, seen = [], {}
    for c in status.cells:
        if c.rating:
            seen.setdefault((c.rating.level.pk, c.rating.explanation), []).append(c)
    for (_, explanation), cells in seen.items():
        label = cells[0].rating.level.label
        if explanation and _says(explanation, label):
            blocks.append(paragraph(explanation))
            continue
        names = " and ".join(c.dimension.name for c in cells)
        verb = "reports" if len(cells) == 1 else "report"
        lead = f"{names} {verb} {label} as at {day(status.update.as_of)}."
        blocks.append(paragraph(f"{lead} {explanation}" if explanation else lead))
    if note := _known_note(status.update, ctx.as_of):
        blocks.append(paragraph(note.strip(" ()")))
    for text in (status.update.progress, status.update.issues):
        blocks.extend(paragraphs(text))
    return blocks


def next_steps(ctx: Context) -> list[dict]:
    update = ctx.now.status.update
    if update is None or not update.next_steps:
        return [paragraph("No next steps had been recorded for the programme by the date of this report.")]
    return paragraphs(update.next_steps)


def _reported_workstreams(ctx: Context):
    """The workstreams the report accounts for: those open at the comparison date (closed since or not), and
    those opened since that have reported a status in the period. Without a comparison date: all open ones."""
    if ctx.before is None:
        yield from (row for row in ctx.now.workstreams if row.item.is_open)
        return
    open_before = {w.item.pk for w in ctx.before.workstreams if w.item.is_open}
    for row in ctx.now.workstreams:
        reported_since = row.update is not None and row.update.as_of > ctx.since
        if row.item.pk in open_before or (row.item.is_open and reported_since):
            yield row


def _status_sentence(row) -> str:
    rating = row.headline
    reason = row.update.reason if row.update else ""
    if reason.lower().startswith("the workstream"):
        return reason
    if rating is None:
        return reason or "No status had been recorded for the workstream by the date of this report."
    if not rating.level.is_rating:
        explanation = reason or rating.explanation
        return f"The workstream's status is {rating.level.label}." + (f" {explanation}" if explanation else "")
    sentence = f"The workstream is currently reporting {rating.level.label} status"
    closure = row.item.planned_closure_date
    if closure and not reason:
        sentence += f" and is planned for closure at the end of {formats.date_format(closure, 'F')}"
    explanation = reason or rating.explanation
    return f"{sentence}. {explanation}".strip() if explanation else f"{sentence}."


def _handover(ctx: Context, row) -> dict | None:
    """How a closing workstream's changes will be embedded: its projects with an embedding owner, and its
    projects moved to another workstream since the comparison date."""
    lines = [
        f"The embedding of {_lower_first(p.item.name)} will be progressed through the {p.item.embedding_owner}"
        for p in row.projects
        if p.item.embedding_owner
    ]
    if ctx.before:
        now_in = {p.item.pk: w.item for w in ctx.now.workstreams for p in w.projects}
        before = next((w for w in ctx.before.workstreams if w.item.pk == row.item.pk), None)
        for p in before.projects if before else []:
            moved_to = now_in.get(p.item.pk)
            if moved_to and moved_to.pk != row.item.pk:
                lines.append(
                    f"The development of {_lower_first(p.item.name)} will be progressed by the {moved_to.name} workstream."
                )
    if not lines:
        return None
    return paragraph(
        "The changes completed will now be embedded as follows:\n" + "\n".join(f"· {line}" for line in lines)
    )


def _lower_first(name: str) -> str:
    """A name as it reads mid-sentence: "Training and guidance …" becomes "training and guidance …", while
    "FCR technology" and "Cambridge Harm Index" (names in their own right) stay as they are."""
    words = name.split()
    if len(words) > 1 and words[0].istitle() and words[1][:1].islower():
        return name[0].lower() + name[1:]
    return name


def workstream_updates(ctx: Context) -> list[dict]:
    """For each workstream: its name, its status and why, how a closing one's changes will be embedded, and
    the narrative of its latest update. A closed workstream is reported by its closure note."""
    blocks = []
    for row in _reported_workstreams(ctx):
        ws = row.item
        blocks.append(paragraph("", subheading=ws.name))
        if not ws.is_open:
            blocks.extend(
                paragraphs(ws.closure_note) or [paragraph(f"The workstream is {ws.get_lifecycle_display().lower()}.")]
            )
        else:
            blocks.append(paragraph(_status_sentence(row) + _known_note(row.update, ctx.as_of)))
            if ws.lifecycle == "closing" and (handover := _handover(ctx, row)):
                blocks.append(handover)
        update = row.update
        if update:
            for text in (update.progress, update.issues, update.next_steps):
                blocks.extend(paragraphs(text))
    if not blocks:
        blocks.append(paragraph("There were no workstreams to report on."))
    return blocks


def status_table(ctx: Context) -> list[dict]:
    before = {c.dimension.pk: c.rating for c in ctx.before.status.cells} if ctx.before else {}
    rows = []
    for c in ctx.now.status.cells:
        last = before.get(c.dimension.pk)
        if not (c.rating or last):
            continue  # a dimension this programme has not rated in either period says nothing
        rows.append(
            [
                cell(c.dimension.name),
                cell(None, last.level) if last else cell("Not rated"),
                cell(None, c.rating.level) if c.rating else cell("Not rated"),
                cell(c.rating.explanation if c.rating else ""),
            ]
        )
    return [table("Last period and this period", ["Dimension", "Last period", "This period", "Reason"], rows)]


def changes(ctx: Context) -> list[dict]:
    if not ctx.since:
        return [paragraph("No comparison date was set, so no changes are listed.")]
    found = changes_between(ctx.programme, ctx.since, ctx.as_of)
    if not found:
        return [paragraph(f"Nothing changed between {day(ctx.since)} and {day(ctx.as_of)}.")]
    rows = []
    for change in found[:60]:
        what = change.summary
        if change.kind == "status":
            old = change.old_level.label if change.old_level else "not rated"
            what = f"{change.summary}: {old} → {change.new_level.label}{f' ({change.direction})' if change.direction else ''}"
        who = _name(change.who)
        rows.append(
            [
                cell(day(change.day)),
                cell(getattr(change.item, "name", str(change.item))),
                cell(change.kind_label),
                cell(what),
                cell(who),
                cell(_known_at_meeting(change, ctx.as_of)),
            ]
        )
    return [
        table(
            f"Changes after {day(ctx.since)}",
            ["Date", "Item", "Change", "What", "Who", "Known at the meeting"],
            rows,
        )
    ]


def _name(user) -> str:
    return person_name(user)


def _known_at_meeting(change, meeting) -> str:
    """Whether the change had been recorded by the end of the meeting day, and when, if it was recorded late."""
    if not change.known_by(meeting):
        return f"No: recorded on {day(change.recorded_on)} by {_name(change.recorded_by) or 'an unknown user'}"
    if change.recorded_later:
        return f"Yes: recorded later than its date, on {day(change.recorded_on)}"
    return "Yes"


def status_key(ctx: Context) -> list[dict]:
    scales = {
        d.scale_id for d in ctx.now.programme_dimensions + ctx.now.workstream_dimensions + ctx.now.project_dimensions
    }
    levels = StatusLevel.objects.filter(scale_id__in=scales).select_related("scale")
    return [
        table(
            "What each status means",
            ["Status", "Scale", "Meaning"],
            [[cell(None, level), cell(level.scale.name), cell(level.definition)] for level in levels],
        )
    ]


def _structure_figure(overview, caption: str) -> dict:
    def level(row):
        return row.headline.level if row.headline else None

    return figures.structure_figure(
        caption,
        [
            (w.item.name, level(w), [(p.item.name, level(p)) for p in w.projects if p.item.is_open])
            for w in overview.workstreams
            if w.item.is_open
        ],
    )


def structure_before(ctx: Context) -> list[dict]:
    if not ctx.before:
        return [paragraph("No comparison date was set, so there is no earlier picture of the programme.")]
    return [_structure_figure(ctx.before, f"Programme progress {formats.date_format(ctx.since, 'F Y')}")]


def structure_after(ctx: Context) -> list[dict]:
    caption = "Revised programme" if ctx.before else f"Programme {formats.date_format(ctx.as_of, 'F Y')}"
    return [_structure_figure(ctx.now, caption)]


def structure(ctx: Context) -> list[dict]:
    return (structure_before(ctx) if ctx.before else []) + structure_after(ctx)


def _open_rows(ctx: Context):
    workstreams = [w for w in ctx.now.workstreams if w.item.is_open]
    projects = [p for w in ctx.now.workstreams for p in w.projects if p.item.is_open]
    return workstreams, projects


def status_counts(ctx: Context) -> list[dict]:
    """How many open workstreams and projects were at each status on each dimension at the meeting, with those
    not rated: the counts a paper otherwise types by hand."""
    workstreams, projects = _open_rows(ctx)
    dimensions = list({d.pk: d for d in ctx.now.workstream_dimensions + ctx.now.project_dimensions}.values())
    levels = {
        scale: list(StatusLevel.objects.filter(scale_id=scale).order_by("-severity", "pk"))
        for scale in {d.scale_id for d in dimensions}
    }

    def counted(rows, dimension):
        found = {}
        for row in rows:
            rating = next((c.rating for c in row.cells if c.dimension.pk == dimension.pk), None)
            found[rating.level.pk if rating else None] = found.get(rating.level.pk if rating else None, 0) + 1
        return found

    body = []
    for dimension in dimensions:
        ws, ps = counted(workstreams, dimension), counted(projects, dimension)
        for level in levels[dimension.scale_id]:
            if ws.get(level.pk) or ps.get(level.pk):
                body.append(
                    [cell(dimension.name), cell(None, level), cell(ws.get(level.pk, 0)), cell(ps.get(level.pk, 0))]
                )
        if ws.get(None) or ps.get(None):
            body.append([cell(dimension.name), cell("Not rated"), cell(ws.get(None, 0)), cell(ps.get(None, 0))])
    if not body:
        return [paragraph(f"There was no open work to count at {day(ctx.as_of)}.")]
    return [
        paragraph(
            f"At {day(ctx.as_of)} the programme had {len(workstreams)} open workstreams and {len(projects)} open "
            "projects. Their latest status on each dimension:"
        ),
        table("Open work by status", ["Dimension", "Status", "Workstreams", "Projects"], body),
    ]


PROJECT_COLUMNS = {
    "name": ("Project", lambda row, w: row.item.name),
    "workstream": ("Workstream", lambda row, w: w.item.name),
    "lead": ("Lead", lambda row, w: _name(getattr(row.item, "manager", None)) or _name(getattr(w.item, "lead", None))),
    "lifecycle": ("Lifecycle", lambda row, w: row.item.get_lifecycle_display()),
    "reason": ("Reason", lambda row, w: row.headline.explanation if row.headline else ""),
}
DEFAULT_PROJECT_COLUMNS = ["name", "workstream", "lead", "lifecycle", "overall", "forecast_end_date"]


def project_column(name: str, dimensions: dict, own=None):
    """A column of the projects table by name: one of PROJECT_COLUMNS, a dimension's code (its rating), the code
    of one of the organisation's own fields (`own`, a `custom_fields.Table`: its value as the field reads), or any
    field of a project (its value, dates as dates). None for a name that is none of these."""
    from changeprog import custom_fields
    from workstreams.models import Project

    if name in PROJECT_COLUMNS:
        return PROJECT_COLUMNS[name]
    if name in dimensions:
        dimension = dimensions[name]

        def rating(row, w):
            found = next((c.rating for c in row.cells if c.dimension.pk == dimension.pk), None)
            return found.level if found else None

        return dimension.name, rating
    own_field = next((f for f in own.fields if f.code == name), None) if own else None
    if own_field is not None:

        def own_value(row, w):
            return custom_fields.display(own_field, (row.item.custom or {}).get(own_field.code), own.people)

        return own_field.label, own_value
    try:
        field = Project._meta.get_field(name)
    except Exception:  # noqa: BLE001 - any unknown name is simply not a column
        return None
    if field.is_relation and not field.many_to_one:
        return None

    def value(row, w):
        found = getattr(row.item, name, None)
        return day(found) if isinstance(found, date) else ("" if found is None else str(found))

    return str(field.verbose_name).capitalize(), value


def projects_table(ctx: Context) -> list[dict]:
    """The open projects at the meeting in a table, with the columns the section names (default: name,
    workstream, lead, lifecycle, overall status, forecast end)."""
    own = ctx.project_fields
    names = ctx.section.column_list if ctx.section is not None and ctx.section.column_list else None
    if names is None:
        # The default columns, then the own fields the organisation wants in its papers.
        names = DEFAULT_PROJECT_COLUMNS + [f.code for f in own.fields if f.in_reports]
    dimensions = {d.code: d for d in ctx.now.project_dimensions}
    columns = [(n, c) for n in names if (c := project_column(n, dimensions, own)) is not None]
    rows = [(p, w) for w in ctx.now.workstreams for p in w.projects if p.item.is_open]
    if not rows:
        return [paragraph(f"No projects were open at {day(ctx.as_of)}.")]
    body = []
    for project, workstream in rows:
        line = []
        for _, (_, read) in columns:
            found = read(project, workstream)
            line.append(cell(None, found) if isinstance(found, StatusLevel) else cell(found or ""))
        body.append(line)
    return [table(f"Open projects at {day(ctx.as_of)}", [label for _, (label, _) in columns], body)]


def challenges(ctx: Context) -> list[dict]:
    """Matters arising: what the board challenged in its last paper on this programme, with the answers given
    by this paper's date (a paper superseded at the same meeting counts with its successor)."""
    last = (
        Report.objects.filter(
            board=ctx.report.board,
            programme=ctx.programme,
            meeting_date__lt=ctx.as_of,
            status__in=[ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED],
        )
        .order_by("-meeting_date", "-version", "-pk")
        .first()
    )
    if last is None:
        return [paragraph(f"This is the first paper on {ctx.programme.name} to the {ctx.report.board.name}.")]
    raised = list(Challenge.objects.filter(report__board=last.board, report__programme=last.programme,
                                        report__meeting_date=last.meeting_date).order_by("minute_reference", "pk"))  # fmt: skip
    if not raised:
        return [paragraph(f"The board raised no challenges of the paper to its meeting on {day(last.meeting_date)}.")]

    def answer(c):
        if c.answered and c.answered_on <= ctx.as_of:
            return f"{c.answer} (answered {day(c.answered_on)})"
        return "Answer to follow."

    return [
        table(
            f"Challenges from the meeting on {day(last.meeting_date)}",
            ["Minute", "Raised by", "Challenge", "Answer"],
            [[cell(c.minute_reference), cell(c.raised_by), cell(c.question), cell(answer(c))] for c in raised],
        )
    ]


def rule_differences(ctx: Context) -> list[dict]:
    """Every rating in the latest updates at the meeting that differs from what its dimension's rule gave when it
    was recorded (`workstreams.status_rules`): the level given, the rule's level and explanation, and the reason."""
    rows = [ctx.now.status] if ctx.now.on_record else []
    for workstream in ctx.now.workstreams:
        rows += [workstream, *workstream.projects]
    body = [
        [cell(row.item.name), cell(rating.dimension.name), cell(None, rating.level), cell(rating.computed_explanation),
         cell(rating.explanation)]
        for row in rows
        if row.update is not None and row.item.is_open
        for rating in row.update.ratings.all()
        if rating.disagrees
    ]  # fmt: skip
    if not body:
        return [paragraph(f"At {day(ctx.as_of)} every rating with a rule agreed with it.")]
    return [
        paragraph(
            f"{len(body)} rating{'s' if len(body) != 1 else ''} at {day(ctx.as_of)} differ from what their rule "
            "gives; the reason given for each:"
        ),
        table("Ratings that differ from their rule", ["Item", "Dimension", "Rated", "The rule gives", "Reason"], body),
    ]
