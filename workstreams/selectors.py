"""Reads for pages and reports. Each selector issues a fixed number of queries, whatever the portfolio's size."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from workstreams import history
from workstreams.models import (
    Programme,
    Project,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusUpdate,
    Workstream,
)

UPDATE_ORDER = ("-as_of", "-created_at", "-pk")


@dataclass(frozen=True)
class Cell:
    """One dimension of an item's status; rating is None where the dimension is not rated."""

    dimension: StatusDimension
    rating: StatusRating | None


@dataclass
class ItemStatus:
    """An item with its latest update and one cell per dimension (None where that dimension is not rated)."""

    item: object
    update: StatusUpdate | None
    cells: list[Cell] = field(default_factory=list)


@dataclass
class WorkstreamStatus(ItemStatus):
    projects: list[ItemStatus] = field(default_factory=list)


@dataclass
class ProgrammeOverview:
    programme: Programme
    status: ItemStatus
    programme_dimensions: list[StatusDimension]
    workstream_dimensions: list[StatusDimension]
    project_dimensions: list[StatusDimension]
    workstreams: list[WorkstreamStatus]
    as_of: date | None

    @property
    def open_workstreams(self):
        return [w for w in self.workstreams if w.item.is_open]

    @property
    def finished_workstreams(self):
        return [w for w in self.workstreams if not w.item.is_open]


def latest_update_id(subject_field: str, as_of: date | None = None, *, outer: str = "pk") -> Subquery:
    """A subquery for the id of the latest update of the outer row's item, optionally as at a date."""
    updates = StatusUpdate.objects.filter(**{subject_field: OuterRef(outer)})
    if as_of is not None:
        updates = updates.filter(as_of__lte=as_of)
    return Subquery(updates.order_by(*UPDATE_ORDER).values("pk")[:1])


def ratings_prefetch() -> Prefetch:
    return Prefetch("ratings", queryset=StatusRating.objects.select_related("level", "dimension"))


def updates_by_id(ids) -> dict[int, StatusUpdate]:
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    updates = (
        StatusUpdate.objects.filter(pk__in=ids)
        .select_related("author", "programme", "workstream", "project")
        .prefetch_related(ratings_prefetch())
    )
    return {u.pk: u for u in updates}


def cells_for(update: StatusUpdate | None, dimensions: list[StatusDimension]) -> list[Cell]:
    by_dimension = {r.dimension_id: r for r in update.ratings.all()} if update else {}
    return [Cell(d, by_dimension.get(d.pk)) for d in dimensions]


def programme_dimensions(programme: Programme) -> tuple[list, list, list]:
    """The programme's dimensions split by what they apply to: (programme, workstreams, projects)."""
    dimensions = list(StatusDimension.objects.filter(programme=programme).select_related("scale"))
    return (
        [d for d in dimensions if d.applies_to_programme],
        [d for d in dimensions if d.applies_to_workstreams],
        [d for d in dimensions if d.applies_to_projects],
    )


def programme_overview(programme: Programme, *, as_of: date | None = None) -> ProgrammeOverview:
    """The programme, its workstreams and their projects, each with its current status per dimension."""
    prog_dims, ws_dims, proj_dims = programme_dimensions(programme)
    programme_updates = StatusUpdate.objects.filter(programme=programme)
    if as_of is not None:
        programme_updates = programme_updates.filter(as_of__lte=as_of)
    programme_update_id = programme_updates.order_by(*UPDATE_ORDER).values_list("pk", flat=True).first()
    if as_of is None:
        workstreams = list(
            Workstream.objects.filter(programme=programme)
            .select_related("lead")
            .annotate(latest_update_id=latest_update_id("workstream"))
        )
        projects = list(
            Project.objects.filter(workstream__programme=programme)
            .select_related("manager")
            .annotate(latest_update_id=latest_update_id("project"))
            .order_by("name")
        )
    else:
        # The structure too is as it stood then: which workstreams existed and where each project sat.
        workstreams = history.workstreams_as_at(programme, as_of, update_subquery=latest_update_id)
        projects = history.projects_as_at(
            programme, as_of, update_subquery=latest_update_id, workstream_ids=[w.pk for w in workstreams]
        )
    updates = updates_by_id(
        [programme_update_id] + [w.latest_update_id for w in workstreams] + [p.latest_update_id for p in projects]
    )
    programme_update = updates.get(programme_update_id)

    by_workstream: dict[int, list[ItemStatus]] = {}
    for project in projects:
        update = updates.get(project.latest_update_id)
        by_workstream.setdefault(project.workstream_id, []).append(
            ItemStatus(project, update, cells_for(update, proj_dims))
        )
    rows = []
    for workstream in workstreams:
        update = updates.get(workstream.latest_update_id)
        rows.append(
            WorkstreamStatus(
                workstream, update, cells_for(update, ws_dims), projects=by_workstream.get(workstream.pk, [])
            )
        )
    return ProgrammeOverview(
        programme=programme,
        status=ItemStatus(programme, programme_update, cells_for(programme_update, prog_dims)),
        programme_dimensions=prog_dims,
        workstream_dimensions=ws_dims,
        project_dimensions=proj_dims,
        workstreams=rows,
        as_of=as_of,
    )


def programmes_with_status() -> list[ItemStatus]:
    """Every programme with its latest Overall-first status, for the home page."""
    programmes = list(Programme.objects.annotate(latest_update_id=latest_update_id("programme")))
    updates = updates_by_id(p.latest_update_id for p in programmes)
    result = []
    for programme in programmes:
        update = updates.get(programme.latest_update_id)
        result.append(ItemStatus(programme, update, list(update.ratings.all()) if update else []))
    return result


def status_timeline(subject, *, as_of: date | None = None) -> QuerySet[StatusUpdate]:
    """Every update of one item (up to `as_of`), newest first, ready to show with its ratings and author."""
    field_name = {Programme: "programme", Workstream: "workstream", Project: "project"}[type(subject)]
    updates = StatusUpdate.objects.filter(**{field_name: subject})
    if as_of is not None:
        updates = updates.filter(as_of__lte=as_of)
    return updates.order_by(*UPDATE_ORDER).select_related("author").prefetch_related(ratings_prefetch())


def latest_update(subject) -> StatusUpdate | None:
    """The item's current status: its latest update, with ratings."""
    return status_timeline(subject).first()


def trend(subject, dimension: StatusDimension | None, *, as_of: date | None = None, periods: int = 12):
    """The item's level on one dimension over its last `periods` updates, oldest first (None where unrated)."""
    if dimension is None:
        return []
    updates = list(status_timeline(subject, as_of=as_of)[:periods])
    return [
        (u.as_of, next((r for r in u.ratings.all() if r.dimension_id == dimension.pk), None)) for u in reversed(updates)
    ]


def timeline_rows(updates, dimensions: list[StatusDimension]) -> list[ItemStatus]:
    return [ItemStatus(item=None, update=u, cells=cells_for(u, dimensions)) for u in updates]


def workstream_detail(workstream: Workstream, *, as_of: date | None = None):
    """A workstream, its projects with their status (as at a date), and the dimensions each reports on."""
    _, ws_dims, proj_dims = programme_dimensions(workstream.programme)
    if as_of is None:
        projects = list(
            workstream.projects.select_related("manager").annotate(latest_update_id=latest_update_id("project"))
        )
    else:
        projects = history.projects_in_workstream_as_at(workstream.pk, as_of, update_subquery=latest_update_id)
    updates = updates_by_id(p.latest_update_id for p in projects)
    project_rows = [
        ItemStatus(p, updates.get(p.latest_update_id), cells_for(updates.get(p.latest_update_id), proj_dims))
        for p in projects
    ]
    return ws_dims, proj_dims, project_rows


def levels_of(dimension: StatusDimension | None) -> list[StatusLevel]:
    """The levels of a dimension's scale, best first."""
    if dimension is None:
        return []
    return list(StatusLevel.objects.filter(scale_id=dimension.scale_id))


def programme_structure(programme: Programme) -> tuple[list[Workstream], list[Project]]:
    """The programme's workstreams and projects as they stand, for restructuring forms."""
    workstreams = list(Workstream.objects.filter(programme=programme))
    projects = list(Project.objects.filter(workstream__programme=programme).select_related("workstream"))
    return workstreams, projects


def _headline(subject_field: str, value: str):
    """The first-ordered rating of the item's latest update: one of its fields, as a subquery."""
    return Subquery(
        StatusRating.objects.filter(update_id=OuterRef("latest_update_id"))
        .order_by("dimension__order", "dimension__name")
        .values(value)[:1]
    )


def _with_latest_status(queryset, subject_field: str):
    return queryset.annotate(
        latest_update_id=latest_update_id(subject_field),
        latest_as_of=Subquery(
            StatusUpdate.objects.filter(**{subject_field: OuterRef("pk")}).order_by(*UPDATE_ORDER).values("as_of")[:1]
        ),
    ).annotate(
        headline_label=_headline(subject_field, "level__label"),
        headline_level_id=_headline(subject_field, "level_id"),
        headline_severity=_headline(subject_field, "level__severity"),
    )


def projects_for_list() -> QuerySet[Project]:
    """Every project with its place, people and latest headline status, for lists and their exports."""
    return _with_latest_status(Project.objects.select_related("workstream__programme", "manager"), "project").order_by(
        "workstream__programme__code", "workstream__order", "name"
    )


def workstreams_for_list() -> QuerySet[Workstream]:
    return _with_latest_status(
        Workstream.objects.select_related("programme", "lead").annotate(
            project_count=Coalesce(
                Subquery(
                    Project.objects.filter(workstream=OuterRef("pk"))
                    .values("workstream")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        ),
        "workstream",
    ).order_by("programme__code", "order", "name")
