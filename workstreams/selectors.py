"""Reads for pages and reports. Each selector issues a fixed number of queries, whatever the portfolio's size."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from changeprog import instances
from changeprog.effective import instance_of, items_from_rows
from workstreams import history, rules
from workstreams.history import Moment
from workstreams.models import (
    SUBJECTS,
    PortfolioStatus,
    Programme,
    Project,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusScale,
    StatusUpdate,
    Workstream,
    ids_under_known,
)

UPDATE_ORDER = ("-as_of", "-created_at", "-pk")


@dataclass(frozen=True)
class Cell:
    """One dimension of an item's status; rating is None where the dimension is not rated."""

    dimension: StatusDimension
    rating: StatusRating | None


@dataclass
class ItemStatus:
    """An item with its latest update, one cell per dimension (None where that dimension is not rated), and its
    headline rating (`workstreams.rules`: the rating on the first dimension, or None)."""

    item: object
    update: StatusUpdate | None
    cells: list[Cell] = field(default_factory=list)
    headline: StatusRating | None = None
    flags: list[str] = field(default_factory=list)  # set by `workstreams.rules.attention` where a page asks

    @property
    def stale(self) -> bool:
        return "no-update" in self.flags


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
    recorded_on: date | None = None
    on_record: bool = True  # False when the programme itself was not yet on record at the date asked for

    @property
    def day(self) -> date:
        return self.as_of or timezone.localdate()

    @property
    def moment(self) -> Moment | None:
        """The moment the overview reads the programme at: None for now."""
        return Moment(self.as_of, self.recorded_on) if self.as_of else None

    @property
    def open_workstreams(self):
        return [w for w in self.workstreams if w.item.is_open]

    @property
    def finished_workstreams(self):
        return [w for w in self.workstreams if not w.item.is_open]

    @property
    def headline_dimensions(self):
        """(programme, workstream, project) headline dimensions."""
        return tuple(
            rules.headline_dimension(d)
            for d in (self.programme_dimensions, self.workstream_dimensions, self.project_dimensions)
        )


def _moment(as_of, recorded_on=None) -> Moment | None:
    if as_of is None and recorded_on is None:
        return None
    if isinstance(as_of, Moment):
        return as_of
    return Moment(as_of or recorded_on, recorded_on)


def latest_update_id(subject_field: str, as_of: date | Moment | None = None, *, outer: str = "pk") -> Subquery:
    """A subquery for the id of the latest update of the outer row's item, optionally as at a date (or a
    `Moment`, which can also limit it to what had been recorded by a day)."""
    moment = _moment(as_of)
    if moment is not None and moment.recorded_on is not None:
        return history.recorded_update_id(subject_field, moment, outer=outer)
    updates = StatusUpdate.objects.filter(**{subject_field: OuterRef(outer)})
    if moment is not None:
        updates = updates.filter(as_of__lte=moment.day)
    return Subquery(updates.order_by(*UPDATE_ORDER).values("pk")[:1])


def ratings_prefetch() -> Prefetch:
    return Prefetch("ratings", queryset=StatusRating.objects.select_related("level", "dimension"))


def updates_by_id(ids, moment: Moment | None = None, *, subjects=None) -> dict[int, StatusUpdate]:
    """The updates `ids` with author, item and ratings; as recorded on `moment.recorded_on` when that is given.

    `subjects`: the items (programmes, workstreams, projects as they are now) whose updates these are, already
    read by the caller: each update is given its item from them, instead of the query joining every project of
    the portfolio to read them again."""
    if moment is not None and moment.recorded_on is not None:
        return history.recorded_updates(ids, moment)
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    found = StatusUpdate.objects.filter(pk__in=ids)
    make = instances.maker(StatusUpdate, found.db)
    # Each author (and, unless the caller has them, each item) made once, however many updates name it.
    related = ("author",) if subjects is not None else ("author", *SUBJECTS)
    known = {(type(item)._meta.model_name, item.pk): item for item in subjects or ()}
    updates = {}
    for values, objects in read_shared(found, instances.attnames(StatusUpdate), related):
        update = updates[values[0]] = make(values)  # the id comes first
        for name, value in zip(related, objects, strict=True):
            StatusUpdate._meta.get_field(name).set_cached_value(update, value)
        for kind in SUBJECTS if subjects is not None else ():
            item = known.get((kind, getattr(update, f"{kind}_id")))
            if item is not None:
                StatusUpdate._meta.get_field(kind).set_cached_value(update, item)
    by_update: dict[int, list] = {pk: [] for pk in updates}
    for rating in lean_ratings(updates):
        StatusRating.update.field.set_cached_value(rating, updates[rating.update_id])
        by_update[rating.update_id].append(rating)
    for pk, update in updates.items():
        history.attach_ratings(update, by_update[pk])
    return updates


def read_shared(rows: QuerySet, fields: list[str], related: tuple[str, ...]):
    """Each row of `rows` as (the values of `fields`, the object of each relation in `related` or None where it
    names none), in one query: each related object is made once, however many rows name it (a window of updates
    names a few people and items hundreds of times), where `select_related` makes one per row."""
    model = rows.model
    columns, spans = list(fields), []
    for name in related:
        target = model._meta.get_field(name).related_model
        names = instances.attnames(target)
        start = len(columns)
        make = instances.maker(target, rows.db)
        spans.append((make, start, start + len(names), start + names.index(target._meta.pk.attname), {}))
        columns += [f"{name}__{attname}" for attname in names]
    width = len(fields)
    for values in rows.values_list(*columns):
        objects = []
        for make, start, end, key_at, made in spans:
            pk = values[key_at]
            found = made.get(pk) if pk is not None else None
            if found is None and pk is not None:
                found = made[pk] = make(values[start:end])
            objects.append(found)
        yield values[:width], objects


def lean_ratings(update_ids) -> list[StatusRating]:
    """The ratings of the updates `update_ids`, in their order, read in one query as plain rows: each level and
    dimension is made once and shared by every rating that names it, not once per rating (a programme's
    overview reads thousands of ratings and a dozen levels)."""
    names = instances.attnames(StatusRating)
    rows = StatusRating.objects.filter(update_id__in=list(update_ids))
    make = instances.maker(StatusRating, rows.db)
    ratings = []
    for values, (level, dimension) in read_shared(rows, names, ("level", "dimension")):
        rating = make(values)
        StatusRating.level.field.set_cached_value(rating, level)
        StatusRating.dimension.field.set_cached_value(rating, dimension)
        ratings.append(rating)
    return ratings


def cells_for(update: StatusUpdate | None, dimensions: list[StatusDimension]) -> list[Cell]:
    by_dimension = {r.dimension_id: r for r in history.ratings_of(update)} if update else {}
    return [Cell(d, by_dimension.get(d.pk)) for d in dimensions]


_FIND = object()


def item_status(item, update, dimensions, cls=ItemStatus, *, headline=_FIND, **extra) -> ItemStatus:
    """One item's status on `dimensions`; `headline`: their headline dimension, where the caller has found it
    once for many items."""
    cells = cells_for(update, dimensions)
    if headline is _FIND:
        headline = rules.headline_dimension(dimensions)
    return cls(item, update, cells, rules.headline_of(cells, headline), **extra)


def split_dimensions(dimensions) -> tuple[list, list, list]:
    """Dimensions split by what they apply to: (programme, workstreams, projects)."""
    return (
        [d for d in dimensions if d.applies_to_programme],
        [d for d in dimensions if d.applies_to_workstreams],
        [d for d in dimensions if d.applies_to_projects],
    )


def programme_dimensions(programme: Programme, *, as_of: date | None = None) -> tuple[list, list, list]:
    """The programme's dimensions (with the scale each had on `as_of`) split by what they apply to:
    (programme, workstreams, projects)."""
    return split_dimensions(history.dimensions_as_at(programme, as_of))


def subject_dimensions(subject, *, as_of: date | None = None) -> list[StatusDimension]:
    """The dimensions one item reports on, each with the scale it had in force on `as_of` (default today)."""
    kind = type(subject)._meta.model_name
    programme = {
        "programme": lambda: subject,
        "workstream": lambda: subject.programme,
        "project": lambda: subject.workstream.programme,
    }[kind]()
    return [d for d in history.dimensions_as_at(programme, as_of) if getattr(d, rules.KIND_FIELD[kind])]


def programme_as_at(programme: Programme, moment: Moment | None) -> tuple[Programme, bool]:
    """The programme as it stood at `moment` (its name, lifecycle, dates), and whether it was on record then."""
    if moment is None:
        return programme, True
    row = history.rows_as_at(Programme.history.model, moment, id=programme.pk).select_related("cadence").first()
    if row is None:
        return programme, False
    as_then = instance_of(row)
    as_then.cadence = row.cadence
    return as_then, True


def programme_overview(
    programme: Programme, *, as_of: date | None = None, recorded_on: date | None = None
) -> ProgrammeOverview:
    """The programme, its workstreams and their projects, each with its current status per dimension.

    `as_of` reads the portfolio as it stood at the end of that day (effective dates); `recorded_on` reads it
    as ChangeProg held it at the end of that day (what had been recorded by then), as at `as_of` or, without
    it, as at the same day.
    """
    moment = _moment(as_of, recorded_on)
    day = moment.day if moment else None
    shown, on_record = programme_as_at(programme, moment)
    prog_dims, ws_dims, proj_dims = programme_dimensions(programme, as_of=day)
    programme_update_id = (
        Programme.objects.filter(pk=programme.pk)
        .annotate(latest=latest_update_id("programme", moment))
        .values_list("latest", flat=True)
        .first()
    )
    if moment is None:
        # Made from plain values, each lead and manager once (`changeprog.effective.items_from_rows`).
        workstreams = items_from_rows(
            Workstream.objects.filter(programme=programme).annotate(latest_update_id=latest_update_id("workstream")),
            person="lead",
            extra=("latest_update_id",),
        )
        projects = items_from_rows(
            Project.objects.filter(workstream__programme=programme)
            .annotate(latest_update_id=latest_update_id("project"))
            .order_by("name"),
            person="manager",
            extra=("latest_update_id",),
        )
        ids_under_known(programme, [w.pk for w in workstreams], [p.pk for p in projects])
    else:
        # The structure too is as it stood then: which workstreams existed and where each project sat.
        workstreams = history.workstreams_as_at(programme, moment, update_subquery=latest_update_id)
        projects = history.projects_as_at(
            programme, moment, update_subquery=latest_update_id, workstream_ids=[w.pk for w in workstreams]
        )
    updates = updates_by_id(
        [programme_update_id] + [w.latest_update_id for w in workstreams] + [p.latest_update_id for p in projects],
        moment,
        subjects=[shown, *workstreams, *projects],  # as at a past date, the items as they stood then
    )

    by_workstream: dict[int, list[ItemStatus]] = {}
    project_headline, workstream_headline = rules.headline_dimension(proj_dims), rules.headline_dimension(ws_dims)
    for project in projects:
        by_workstream.setdefault(project.workstream_id, []).append(
            item_status(project, updates.get(project.latest_update_id), proj_dims, headline=project_headline)
        )
    rows = [
        item_status(
            workstream,
            updates.get(workstream.latest_update_id),
            ws_dims,
            cls=WorkstreamStatus,
            headline=workstream_headline,
            projects=by_workstream.get(workstream.pk, []),
        )
        for workstream in workstreams
    ]
    return ProgrammeOverview(
        programme=shown,
        status=item_status(shown, updates.get(programme_update_id), prog_dims),
        programme_dimensions=prog_dims,
        workstream_dimensions=ws_dims,
        project_dimensions=proj_dims,
        workstreams=rows,
        as_of=day,
        recorded_on=moment.recorded_on if moment else None,
        on_record=on_record,
    )


def programmes_with_status(portfolio=None) -> list[ItemStatus]:
    """Every programme (of `portfolio`, if given) with its latest status (every rating, the headline first) and
    whether it is stale under its cadence, for the programme list and a portfolio's page."""
    programmes = Programme.objects.select_related("cadence").annotate(latest_update_id=latest_update_id("programme"))
    if portfolio is not None:
        programmes = programmes.filter(portfolio=portfolio)
    programmes = list(programmes)
    updates = updates_by_id((p.latest_update_id for p in programmes), subjects=programmes)
    default = rules.default_cadence()
    today = timezone.localdate()
    result = []
    for programme in programmes:
        update = updates.get(programme.latest_update_id)
        row = ItemStatus(programme, update, list(update.ratings.all()) if update else [])
        row.flags = rules.item_flags(programme, update, today, programme.cadence or default)
        result.append(row)
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


def trends(subject, dimensions, *, as_of: date | None = None, periods: int = 12):
    """The item's last `periods` updates (up to `as_of`), oldest first, and for each of `dimensions` its level in
    each of them, as (as-of date, rating or None where unrated): one read of the updates for every dimension."""
    updates = list(reversed(status_timeline(subject, as_of=as_of)[:periods]))
    rated = [{r.dimension_id: r for r in history.ratings_of(u)} for u in updates]
    return updates, [[(u.as_of, by.get(d.pk)) for u, by in zip(updates, rated, strict=True)] for d in dimensions]


def trend(subject, dimension: StatusDimension | None, *, as_of: date | None = None, periods: int = 12):
    """The item's level on one dimension over its last `periods` updates, oldest first (None where unrated)."""
    if dimension is None:
        return []
    return trends(subject, [dimension], as_of=as_of, periods=periods)[1][0]


def timeline_rows(updates, dimensions: list[StatusDimension]) -> list[ItemStatus]:
    return [ItemStatus(item=None, update=u, cells=cells_for(u, dimensions)) for u in updates]


def workstream_detail(workstream: Workstream, *, as_of: date | None = None):
    """A workstream, its projects with their status (as at a date), and the dimensions each reports on."""
    _, ws_dims, proj_dims = programme_dimensions(workstream.programme, as_of=as_of)
    if as_of is None:
        projects = list(
            workstream.projects.select_related("manager").annotate(latest_update_id=latest_update_id("project"))
        )
    else:
        projects = history.projects_in_workstream_as_at(workstream.pk, Moment(as_of), update_subquery=latest_update_id)
    updates = updates_by_id((p.latest_update_id for p in projects), subjects=projects if as_of is None else None)
    headline = rules.headline_dimension(proj_dims)
    project_rows = [item_status(p, updates.get(p.latest_update_id), proj_dims, headline=headline) for p in projects]
    return ws_dims, proj_dims, project_rows


def levels_of(dimension: StatusDimension | None, index=None) -> list[StatusLevel]:
    """The levels of a dimension's scale, best first; from `index` (a `scales.LevelIndex`) where the caller has
    read every level already."""
    if dimension is None:
        return []
    if index is not None:
        return index.of_scale(dimension.scale_id)
    return list(StatusLevel.objects.filter(scale_id=dimension.scale_id))


def programme_structure(programme: Programme) -> tuple[list[Workstream], list[Project]]:
    """The programme's workstreams and projects as they stand, for restructuring forms."""
    workstreams = list(Workstream.objects.filter(programme=programme))
    projects = list(Project.objects.filter(workstream__programme=programme).select_related("workstream"))
    return workstreams, projects


def _with_latest_status(queryset, kind: str, programme_path: str, *, as_of: date | None = None, outer: str = "pk"):
    """Each row with its latest update's id and date, and its headline rating (`workstreams.rules`); as at
    `as_of` when given (the rows may then be history rows as at that day, whose object id is `outer="id"`)."""
    updates = StatusUpdate.objects.filter(**{kind: OuterRef(outer)})
    if as_of is not None:
        updates = updates.filter(as_of__lte=as_of)
    return queryset.annotate(
        latest_update_id=latest_update_id(kind, as_of, outer=outer),
        latest_as_of=Subquery(updates.order_by(*UPDATE_ORDER).values("as_of")[:1]),
    ).annotate(
        headline_label=rules.headline_rating_sql(kind, programme_path, "level__label"),
        headline_level_id=rules.headline_rating_sql(kind, programme_path, "level_id"),
        headline_severity=rules.headline_rating_sql(kind, programme_path, "level__severity"),
    )


def items_with_status(kind: str, *, as_of: date | None = None):
    """Every programme, workstream or project with its latest headline status, as it stood at the end of
    `as_of` when given (read from the history: items not yet on record are absent), for the API and its
    consumers. Ordered by id, so pages of it are stable."""
    model = {"programme": Programme, "workstream": Workstream, "project": Project}[kind]
    path = {"programme": "pk", "workstream": "programme_id", "project": "workstream__programme_id"}[kind]
    person = "manager" if kind != "workstream" else "lead"
    if as_of is None:
        rows = model.objects.select_related(person, "stage")
        return _with_latest_status(rows, kind, path).order_by("pk")
    rows = history.rows_as_at(model.history.model, Moment(as_of)).select_related(person, "stage")
    path = "id" if kind == "programme" else path
    return _with_latest_status(rows, kind, path, as_of=as_of, outer="id").order_by("id")


def projects_for_list() -> QuerySet[Project]:
    """Every project with its place, people and latest headline status, for lists and their exports."""
    projects = Project.objects.select_related("workstream__programme", "manager", "stage")
    return _with_latest_status(projects, "project", "workstream__programme_id").order_by(
        "workstream__programme__code", "workstream__order", "name"
    )


def workstreams_for_list() -> QuerySet[Workstream]:
    return _with_latest_status(
        Workstream.objects.select_related("programme", "lead", "stage").annotate(
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
        "programme_id",
    ).order_by("programme__code", "order", "name")


@dataclass
class PortfolioOverview:
    portfolio: object
    programmes: list  # ItemStatus, each with its headline set
    counts: list  # (level, number of open programmes at it), worst first
    not_rated: int
    rollup: object  # the worst headline level among its open programmes, or None
    explanation: str
    statuses: list = field(default_factory=list)  # its own recorded statuses, newest first (up to STATUSES_SHOWN)

    @property
    def recorded(self):
        """Its latest recorded status, or None."""
        return self.statuses[0] if self.statuses else None


# A portfolio's page and paper show its latest recorded statuses, newest first.
STATUSES_SHOWN = 12


def portfolio_statuses(portfolio) -> QuerySet[PortfolioStatus]:
    """A portfolio's recorded statuses, newest first, with their levels and who recorded them."""
    return (
        PortfolioStatus.objects.filter(portfolio=portfolio)
        .select_related("level__scale", "rolled_up_level__scale", "recorded_by")
        .order_by("-as_of", "-pk")
    )


def portfolio_status_scale(portfolio, overview) -> StatusScale | None:
    """The scale a portfolio's own status is given on (its current version): the portfolio's own choice, else
    the one its programmes' headlines share; None when neither is known (programmes on several scales)."""
    code = portfolio.scale.code if portfolio.scale_id else (overview.rollup.scale.code if overview.rollup else None)
    return StatusScale.objects.filter(code=code, is_current=True).first() if code else None


def portfolio_overview(portfolio) -> PortfolioOverview:
    """A portfolio's programmes with their headline status (`workstreams.rules`), its status rolled up from them
    with its explanation (`_rolled_up`), and its own recorded statuses. Fixed queries."""
    overview = _rolled_up(portfolio)
    overview.statuses = list(portfolio_statuses(portfolio)[:STATUSES_SHOWN])
    return overview


def _rolled_up(portfolio) -> PortfolioOverview:
    """The worst headline among a portfolio's open programmes, explained. Programmes that report on different
    scales are counted per level, and no single level is claimed for the whole."""
    rows = programmes_with_status(portfolio)
    by_programme: dict[int, list] = {}
    dimensions = StatusDimension.objects.filter(programme__in=[row.item for row in rows], applies_to_programme=True)
    for dimension in dimensions:
        by_programme.setdefault(dimension.programme_id, []).append(dimension)
    for row in rows:
        # The one rule for a headline (`workstreams.rules`), on each programme's own dimensions.
        own = by_programme.get(row.item.pk, [])
        row.headline = rules.headline_of(cells_for(row.update, own), rules.headline_dimension(own))
    open_rows = [row for row in rows if rules.is_open(row.item)]
    rated = [row for row in open_rows if row.headline is not None and row.headline.level.is_rating]
    counts: dict = {}
    for row in rated:
        counts[row.headline.level] = counts.get(row.headline.level, 0) + 1
    ordered = sorted(counts.items(), key=lambda pair: (-pair[0].severity, pair[0].label))
    # Versions of one scale are one scale: compared by the scale's code, not by the version's row.
    codes = dict(
        StatusScale.objects.filter(pk__in={row.headline.level.scale_id for row in rated}).values_list("pk", "code")
    )
    scales = {codes[row.headline.level.scale_id] for row in rated}
    noun = "programme" if len(rated) == 1 else "programmes"
    if not rated:
        return PortfolioOverview(portfolio, rows, [], len(open_rows), None, "None of its open programmes is rated.")
    if len(scales) > 1:
        explanation = (
            f"Its {len(rated)} rated programmes report on {len(scales)} different scales, so no one level stands "
            "for them all; each is shown below."
        )
        return PortfolioOverview(portfolio, rows, ordered, len(open_rows) - len(rated), None, explanation)
    worst = max((row.headline.level for row in rated), key=lambda level: level.severity)
    named = sorted(row.item.name for row in rated if row.headline.level == worst)
    explanation = f"{worst.label}: the worst of {len(rated)} {noun} ({', '.join(named)} {worst.label})"
    return PortfolioOverview(portfolio, rows, ordered, len(open_rows) - len(rated), worst, explanation)
