"""Milestones: the one home of what "overdue" means for a milestone and of the reads every page shares (the
programme's milestones as at any date, the count overdue per item for the board's flag, the dashboard and the
publish gate, and the slips and completions *what changed* lists). Fixed queries."""

from datetime import date

from django.db.models import Count, Q

from changeprog.effective import Moment, rows_as_at
from workstreams.models import SUBJECTS, Milestone, MilestoneStatus, subject_scope


def in_programme(programme) -> Q:
    """A programme's own milestones, its workstreams' and its projects' (`models.subject_scope`)."""
    return subject_scope(programme)


def overdue(day: date) -> Q:
    """Planned, and its forecast (or, without one, its baseline) is before `day`."""
    return Q(status=MilestoneStatus.PLANNED) & (
        Q(forecast_date__lt=day) | Q(forecast_date__isnull=True, baseline_date__lt=day)
    )


def is_overdue(milestone, day: date) -> bool:
    """The same rule as `overdue`, for one milestone already read (a record or a history row)."""
    due = milestone.forecast_date or milestone.baseline_date
    return milestone.status == MilestoneStatus.PLANNED and due is not None and due < day


def rows(moment: Moment | None = None):
    """Every milestone as it stands now, or as it stood at `moment` (from its history)."""
    if moment is None:
        return Milestone.objects.all()
    return rows_as_at(Milestone.history.model, moment)


def item_counts(programme, day: date, moment: Moment | None = None) -> dict[tuple[str, int], dict[str, int]]:
    """{(kind, item id): {"total", "overdue", "due_soon", "achieved"}}: each item's milestones on `day`, across
    the programme, in one query. The board's flags and the dashboard's totals are both read from it."""
    found = (
        rows(moment)
        .filter(in_programme(programme))
        .order_by()
        .values(*(f"{name}_id" for name in SUBJECTS))
        .annotate(
            total=Count("pk"),
            **{COUNTED[name]: Count("pk", filter=condition(day)) for name, condition in SHOWN.items()},
        )
    )
    counts = {}
    for row in found:
        for name in SUBJECTS:
            if row[f"{name}_id"] is not None:
                counts[(name, row[f"{name}_id"])] = {key: row[key] for key in ("total", *COUNTED.values())}
    return counts


def totals(by_item: dict) -> dict[str, int]:
    """{"total", "overdue", "due_soon", "achieved"} summed over `item_counts`."""
    return {key: sum(counts[key] for counts in by_item.values()) for key in ("total", *COUNTED.values())}


def mark_overdue(overview, day: date) -> dict[tuple[str, int], dict[str, int]]:
    """Set `overdue_milestones` on the overview's programme, workstreams and projects (`rules.item_flags` reads
    it for the "Milestone overdue" flag), as they stood at the overview's moment. Once per overview and day,
    however many pages' parts ask; returns the `item_counts` it read."""
    marked = getattr(overview, "_milestones_marked", None)
    if marked and marked[0] == day:
        return marked[1]
    by_item = item_counts(overview.programme, day, overview.moment)
    overview._milestones_marked = (day, by_item)

    def overdue(kind, pk):
        return by_item.get((kind, pk), {}).get("overdue", 0)

    overview.programme.overdue_milestones = overdue("programme", overview.programme.pk)
    for ws in overview.workstreams:
        ws.item.overdue_milestones = overdue("workstream", ws.item.pk)
        for project in ws.projects:
            project.item.overdue_milestones = overdue("project", project.item.pk)
    return by_item


def overview_counts(overview, day: date) -> dict[str, int]:
    """The programme's milestone `totals` on `day` (total, overdue, due soon, achieved) at the overview's moment,
    from the same read as its items' overdue flags."""
    return totals(mark_overdue(overview, day))


# What a listed milestone shows beside it: its item (and a project's workstream) and its owner.
SHOWN_WITH = ("programme", "workstream", "project__workstream", "owner")


def programme_milestones(programme, moment: Moment | None = None):
    """The programme's milestones (its own, its workstreams' and its projects'), soonest due first, with what each
    shows beside it (page them with `changeprog.paginators.JoinAfterLimitPaginator`)."""
    from django.db.models.functions import Coalesce

    return (
        rows(moment)
        .filter(in_programme(programme))
        .select_related(*SHOWN_WITH)
        .annotate(due_on=Coalesce("forecast_date", "baseline_date"))
        .order_by("due_on", "name", "pk")
    )


# The dashboard's horizons: milestones due in the next month, achieved in the last quarter.
DUE_SOON = 30
RECENT = 92


def due_soon(day: date) -> Q:
    from datetime import timedelta

    return Q(status=MilestoneStatus.PLANNED) & (
        Q(forecast_date__gte=day, forecast_date__lte=day + timedelta(days=DUE_SOON))
        | Q(forecast_date__isnull=True, baseline_date__gte=day, baseline_date__lte=day + timedelta(days=DUE_SOON))
    )


def achieved_recently(day: date) -> Q:
    from datetime import timedelta

    return Q(status=MilestoneStatus.COMPLETE, actual_date__gt=day - timedelta(days=RECENT), actual_date__lte=day)


SHOWN = {"overdue": overdue, "due-soon": due_soon, "achieved": achieved_recently}
# The names the counts go by (a template cannot read "due-soon").
COUNTED = {"overdue": "overdue", "due-soon": "due_soon", "achieved": "achieved"}
