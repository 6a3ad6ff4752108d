"""The roadmap: a programme's workstreams (or a workstream's projects) and their milestones across financial
years, each item's baseline against its forecast, and today's line, as at any date. Drawn on the server as a
figure (`changeprog.drawing`: SVG on pages and in PDFs, a picture in Word) with a table that says the same for a
screen reader. Fixed queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from changeprog import drawing
from changeprog.effective import Moment, instance_of, rows_as_at
from workstreams import milestones as milestone_reads
from workstreams.models import Lifecycle, MilestoneStatus, Programme, Project, Workstream, subject_scope

WIDTH = 960
LABEL_WIDTH = 250
ROW = 30
TOP = 40
MAX_YEARS = 6  # a longer plan is shown from two years before today's
BASELINE = "#B1B4B6"
FORECAST = "#1D70B8"
SLIPPED = "#D4351C"
DONE = "#00703C"


def _year_start(day: date) -> date:
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


@dataclass
class Row:
    item: object
    name: str
    start: date | None
    baseline_end: date | None
    forecast_end: date | None
    milestones: list = field(default_factory=list)

    @property
    def slipped(self) -> bool:
        return bool(self.baseline_end and self.forecast_end and self.forecast_end > self.baseline_end)


@dataclass
class Roadmap:
    subject: object
    day: date
    rows: list
    first: date  # the first day drawn (a 1 April)
    last: date  # the first day after the last drawn (a 1 April)
    figure: dict


def _items(subject, moment: Moment | None):
    if isinstance(subject, Programme):
        model, filters = Workstream, {"programme_id": subject.pk}
    else:
        model, filters = Project, {"workstream_id": subject.pk}
    if moment is None:
        found = list(model.objects.filter(**filters).exclude(lifecycle=Lifecycle.CLOSED).order_by("name"))
    else:
        found = sorted(
            (
                instance_of(r)
                for r in rows_as_at(model.history.model, moment, **filters)
                if r.lifecycle != Lifecycle.CLOSED
            ),
            key=lambda item: item.name,
        )
    return found


def roadmap(subject, *, day: date, moment: Moment | None = None) -> Roadmap:
    """The roadmap of a programme (its open workstreams, each with its own milestones and its projects' ones for
    the committee) or of a workstream (its open projects and all their milestones), as at `moment` when given."""
    items = _items(subject, moment)
    scope = milestone_reads.rows(moment)
    if isinstance(subject, Programme):
        # A programme's picture: its own and its workstreams' milestones, and its projects' the committee must be
        # told of (every project milestone is on its workstream's roadmap).
        scope = scope.filter(milestone_reads.in_programme(subject)).filter(
            Q(project_id__isnull=True) | Q(tell_committee=True)
        )
    else:
        scope = scope.filter(subject_scope(subject))
    placed: dict = {}
    own = []
    for milestone in scope.select_related("project").order_by("baseline_date", "name"):
        if isinstance(subject, Programme):
            key = milestone.workstream_id or (milestone.project.workstream_id if milestone.project_id else None)
        else:
            key = milestone.project_id
        (placed.setdefault(key, []) if key else own).append(milestone)
    rows = [
        Row(item, item.name, item.start_date, item.baseline_end_date, item.forecast_end_date, placed.get(item.pk, []))
        for item in items
    ]
    if own:
        rows.insert(0, Row(subject, f"{subject.name} (its own)", None, None, None, own))
    dates = [d for r in rows for d in (r.start, r.baseline_end, r.forecast_end) if d]
    dates += [m.forecast_date or m.baseline_date for r in rows for m in r.milestones] + [day]
    first, last = _year_start(min(dates)), date(_year_start(max(dates)).year + 1, 4, 1)
    if last.year - first.year > MAX_YEARS:
        first = date(_year_start(day).year - 2, 4, 1)
        last = date(first.year + MAX_YEARS, 4, 1)
    return Roadmap(subject, day, rows, first, last, _figure(subject, day, rows, first, last))


def _figure(subject, day: date, rows: list[Row], first: date, last: date) -> dict:
    span = (last - first).days
    left, right = LABEL_WIDTH + 10, WIDTH - 10

    def x(when: date) -> float:
        when = min(max(when, first), last)
        return round(left + (right - left) * (when - first).days / span, 1)

    height = TOP + ROW * max(len(rows), 1) + 40
    shapes = []
    for year in range(first.year, last.year):
        start = date(year, 4, 1)
        shapes.append(drawing.line([(x(start), TOP - 8), (x(start), height - 30)], colour="#DDDDDD", width=1,
                                   arrow=False))  # fmt: skip
        shapes.append(drawing.label(x(start) + 4, TOP - 14, f"{year}/{(year + 1) % 100:02d}", colour="#505A5F"))
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        shapes.append(drawing.box(0, y + 4, LABEL_WIDTH, ROW - 8, text=row.name, fill="#FFFFFF", stroke="#FFFFFF",
                                  href=row.item.get_absolute_url(), link_label=row.name))  # fmt: skip
        if row.start and row.baseline_end and row.baseline_end >= row.start:
            shapes.append(drawing.box(x(row.start), y + 19, max(x(row.baseline_end) - x(row.start), 2), 5,
                                      fill=BASELINE, stroke=BASELINE))  # fmt: skip
        end = row.forecast_end or row.baseline_end
        if row.start and end and end >= row.start:
            colour = SLIPPED if row.slipped else FORECAST
            shapes.append(drawing.box(x(row.start), y + 7, max(x(end) - x(row.start), 2), 10, fill=colour,
                                      stroke=colour))  # fmt: skip
        for milestone in row.milestones:
            due = milestone.actual_date or milestone.forecast_date or milestone.baseline_date
            if milestone.status == MilestoneStatus.COMPLETE:
                fill = DONE
            elif milestone_reads.is_overdue(milestone, day):
                fill = SLIPPED
            else:
                fill = "#FFFFFF"
            shapes.append(drawing.box(x(due) - 5, y + 5, 10, 14, fill=fill, stroke="#0B0C0C"))
    today = x(day)
    shapes.append(drawing.line([(today, TOP - 20), (today, height - 30)], colour="#0B0C0C", width=2, dashed=True,
                               arrow=False))  # fmt: skip
    shapes.append(drawing.label(today + 3, height - 16, f"Today {day:%d/%m/%Y}" if day else "", colour="#0B0C0C"))
    legend = ("Blue bar: start to forecast end (red when past its baseline); grey bar: start to baseline end; "
              "squares: milestones (green achieved, red overdue, white planned).")  # fmt: skip
    kind = "workstreams" if isinstance(subject, Programme) else "projects"
    caption = (
        f"Roadmap of {subject.name}, {first.year}/{(first.year + 1) % 100:02d} to {last.year - 1}/{last.year % 100:02d}"
    )
    description = f"{len(rows)} {kind if len(rows) != 1 else kind[:-1]} with their milestones. {legend}"
    return drawing.figure(caption, description, WIDTH, height, shapes)
