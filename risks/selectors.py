"""Reads for the risk pages. Each issues a fixed number of queries, whatever the data's size."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from changeprog.effective import Moment, rows_as_at
from risks.models import (
    ActionStatus,
    BandCell,
    Dependency,
    DependencyStatus,
    OpenRiskCell,
    PriorityAssessment,
    PriorityImpact,
    Register,
    Risk,
    RiskAction,
    RiskScheme,
    RiskStatus,
)
from risks.scoring import PRIORITY_ORDER, Priority, Spec, prioritise
from workstreams import rules
from workstreams.models import Project, StatusLevel
from workstreams.selectors import latest_update_id

ASSESSMENT_ORDER = ("-assessed_on", "-created_at", "-pk")


def specs_for(scheme_ids) -> dict[int, Spec]:
    """The scoring spec of each scheme version used, read in one go."""
    schemes = RiskScheme.objects.filter(pk__in=set(scheme_ids)).prefetch_related(
        "likelihood_levels", "impact_levels", "bands", "cells", "categories"
    )
    return {scheme.pk: Spec.from_scheme(scheme) for scheme in schemes}


def priority_of(assessment: PriorityAssessment, spec: Spec, impacts: dict[str, int] | None = None) -> Priority:
    """The assessment's band and rank; `impacts` (category code: impact), where they were read with it."""
    return prioritise(
        spec,
        impacts={i.category.code: i.impact for i in assessment.impacts.all()} if impacts is None else impacts,
        likelihood=assessment.likelihood,
        mandatory=assessment.mandatory,
        confidence=assessment.confidence,
    )


@dataclass
class RankedProject:
    project: Project
    assessment: PriorityAssessment | None
    priority: Priority | None
    previous: Priority | None
    rank: int | None = None

    @property
    def movement(self) -> str:
        """How the band moved since the previous assessment: "up" (more urgent), "down", "same" or "new"."""
        if self.previous is None:
            return "new"
        before, now = PRIORITY_ORDER[self.previous.band], PRIORITY_ORDER[self.priority.band]
        return "same" if before == now else "up" if now < before else "down"


def _impacts_prefetch():
    return Prefetch("impacts", queryset=PriorityImpact.objects.select_related("category"))


def ranking(programme, *, as_of: date | None = None, open_projects=None) -> tuple[list[RankedProject], list]:
    """The programme's open projects by band and rank, from each one's latest assessment; and the unassessed.

    As at a date (`as_of`), each project's latest assessment made by then is used, and `open_projects` (the
    ids of the projects open at that date, from the overview as at it) says which are ranked."""
    assessments_then = PriorityAssessment.objects.filter(project=OuterRef("pk"))
    if as_of is not None:
        assessments_then = assessments_then.filter(assessed_on__lte=as_of)
    latest = assessments_then.order_by(*ASSESSMENT_ORDER)
    chosen = Project.objects.filter(workstream__programme=programme)
    chosen = chosen.filter(pk__in=list(open_projects)) if open_projects is not None else chosen.filter(rules.open_q())
    projects = list(
        chosen.select_related("workstream").annotate(
            latest_id=Subquery(latest.values("pk")[:1]), previous_id=Subquery(latest.values("pk")[1:2])
        )
    )
    ids = [i for p in projects for i in (p.latest_id, p.previous_id) if i]
    assessments = PriorityAssessment.objects.select_related("assessed_by").in_bulk(ids)
    # Each assessment's impacts as plain values: a programme's two assessments a project have a few thousand.
    impacts: dict[int, dict[str, int]] = defaultdict(dict)
    for assessment_id, code, impact in PriorityImpact.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "category__code", "impact"
    ):
        impacts[assessment_id][code] = impact
    specs = specs_for(a.scheme_id for a in assessments.values())
    ranked, unassessed = [], []
    for project in projects:
        assessment = assessments.get(project.latest_id)
        if assessment is None:
            unassessed.append(RankedProject(project, None, None, None))
            continue
        previous = assessments.get(project.previous_id)
        ranked.append(
            RankedProject(
                project,
                assessment,
                priority_of(assessment, specs[assessment.scheme_id], impacts[assessment.pk]),
                priority_of(previous, specs[previous.scheme_id], impacts[previous.pk]) if previous else None,
            )
        )
    ranked.sort(key=lambda r: r.priority.rank_key(tiebreak=(r.project.name, r.project.pk)))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked, unassessed


def assessment_history(project) -> list[tuple[PriorityAssessment, Priority]]:
    assessments = list(
        PriorityAssessment.objects.filter(project=project)
        .order_by(*ASSESSMENT_ORDER)
        .select_related("assessed_by", "scheme")
        .prefetch_related(_impacts_prefetch())
    )
    specs = specs_for(a.scheme_id for a in assessments)
    return [(a, priority_of(a, specs[a.scheme_id])) for a in assessments]


def scheme_for_form(scheme: RiskScheme) -> RiskScheme:
    """A scheme with everything an assessment form shows: levels and each category's descriptors."""
    return RiskScheme.objects.prefetch_related(
        "likelihood_levels", "impact_levels", Prefetch("categories__descriptors")
    ).get(pk=scheme.pk)


# --- The register --------------------------------------------------------------------------------------------


def _band_of(which: str, field: str):
    """A subquery for the band (one of its fields) that the risk's `which` score falls in on its own scheme."""
    return Subquery(
        BandCell.objects.filter(
            scheme=OuterRef("scheme"),
            likelihood=OuterRef(f"{which}_likelihood"),
            impact=OuterRef(f"{which}_impact"),
        ).values(f"band__{field}")[:1]
    )


def _scored(risks: QuerySet, today) -> QuerySet:
    """Risks (live or as they stood) with their scores, current band and appetite computed in the database."""
    return risks.annotate(
        current_score_db=F("current_likelihood") * F("current_impact"),
        inherent_score_db=F("inherent_likelihood") * F("inherent_impact"),
        target_score_db=F("target_likelihood") * F("target_impact"),
        band_id=_band_of("current", "pk"),
        band_code=_band_of("current", "code"),
        band_name=_band_of("current", "name"),
        band_severity=_band_of("current", "severity"),
    ).annotate(
        outside_appetite=ExpressionWrapper(
            Q(current_score_db__gt=F("category__tolerance")) & Q(status=RiskStatus.OPEN),
            output_field=BooleanField(),
        ),
        review_overdue=ExpressionWrapper(
            Q(next_review_due__lt=today) & Q(status=RiskStatus.OPEN), output_field=BooleanField()
        ),
    )


def register_rows() -> QuerySet[Risk]:
    """Every risk with its scores, bands and flags computed in the database, ready to filter and list."""
    today = timezone.localdate()
    overdue_actions = RiskAction.objects.filter(risk=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=today)
    return (
        _scored(Risk.objects.select_related("register", "category", "owner", "workstream", "project"), today)
        .annotate(action_overdue=Exists(overdue_actions))
        # Register by register (by id: ordering by "register" would follow Register.Meta.ordering, its level and
        # code, and sort every risk), in number order: the index of a register's numbers serves it, so a page of 50
        # costs the same however many risks there are.
        .order_by("register_id", "number")
    )


def register_rows_as_at(day: date) -> QuerySet:
    """Every risk as it stood at the end of `day`, from the history table, scored as `register_rows` scores
    live risks: the latest history row of each risk up to then (risks raised later are absent)."""
    rows = rows_as_at(Risk.history.model, Moment(day)).select_related("register", "category")
    return _scored(rows, day).order_by("register_id", "number")


def scheme_in_force(day: date) -> RiskScheme:
    """The risk scheme version in force at the end of `day`: the version that was current then, so a paper or
    dashboard as at a past date bands its risks as they were. Before any version was on record (a scheme set up
    after the dates a programme reports on), the first version."""
    then = rows_as_at(RiskScheme.history.model, Moment(day)).filter(is_current=True).order_by("name", "-version")
    row = then.values_list("id", flat=True).first()
    if row is not None:
        return RiskScheme.objects.get(pk=row)
    return RiskScheme.objects.order_by("version", "pk").first()


def cell_counts(risks: QuerySet, which: str) -> dict[tuple[int, int], int]:
    """How many of `risks` (live or as they stood) sit in each likelihood × impact cell of their `which` score."""
    return {
        (row[f"{which}_likelihood"], row[f"{which}_impact"]): row["n"]
        for row in risks.order_by().values(f"{which}_likelihood", f"{which}_impact").annotate(n=Count("pk"))
    }


def open_risk_count() -> int:
    """How many risks are open, in every register: from the counts the database keeps (`OpenRiskCell`, where each
    open risk sits in one cell of its current score), so it costs the same however many risks there are."""
    return OpenRiskCell.objects.filter(score="current").aggregate(n=Sum("open_risks"))["n"] or 0


def open_cell_counts(which: str, register: Register | None = None) -> dict[tuple[int, int], int]:
    """`cell_counts` of every open risk now (of one register, or of all): read from the counts the database keeps
    (`OpenRiskCell`), so it costs the same however many risks there are."""
    cells = OpenRiskCell.objects.filter(score=which, open_risks__gt=0)
    if register is not None:
        cells = cells.filter(register=register)
    return {
        (row["likelihood"], row["impact"]): row["n"]
        for row in cells.order_by().values("likelihood", "impact").annotate(n=Sum("open_risks"))
    }


def heat_map(counts: dict[tuple[int, int], int], scheme: RiskScheme) -> list[list[tuple]]:
    """The heat map's rows, most likely first: each cell's likelihood, impact, count (from `cell_counts` or
    `open_cell_counts`) and band on `scheme`. Three small queries: the two scales and the grid with its bands."""
    likelihoods = sorted(scheme.likelihood_levels.values_list("score", flat=True), reverse=True)
    impacts = sorted(scheme.impact_levels.values_list("score", flat=True))
    grid = {(cell.likelihood, cell.impact): cell.band for cell in scheme.cells.select_related("band")}
    return [
        [(likelihood, impact, counts.get((likelihood, impact), 0), grid[(likelihood, impact)]) for impact in impacts]
        for likelihood in likelihoods
    ]


def score_history(risk: Risk):
    """Each change to the risk's scores, oldest first, with who and why."""
    rows = list(risk.history.order_by("history_date", "history_id").select_related("history_user"))
    changes, last = [], None
    for row in rows:
        scores = tuple(
            getattr(row, f"{k}_{p}") for k in ("inherent", "current", "target") for p in ("likelihood", "impact")
        )
        if scores != last:
            changes.append((row, scores[2] * scores[3]))
            last = scores
    return changes


# --- Dependencies --------------------------------------------------------------------------------------------


def project_dependencies(project):
    """What the project depends on, and what depends on it, with each other end's place and latest status."""
    both = Dependency.objects.filter(Q(from_project=project) | Q(to_project=project)).select_related(
        "from_project__workstream", "to_project__workstream", "owner"
    )
    rows = list(both)
    return [d for d in rows if d.from_project_id == project.pk], [d for d in rows if d.to_project_id == project.pk]


@dataclass
class MapNode:
    key: str
    label: str
    column: int
    row: int
    url: str = ""
    attention: str = ""  # why a dependency on this node needs attention, e.g. "Red", "closed"


@dataclass
class MapEdge:
    dependency: Dependency
    source: MapNode
    target: MapNode
    flags: list[str]


def dependency_map(programme, *, today):
    """Nodes (projects by workstream column, then things outside the programme) and edges with their flags:
    on something Red or Amber, overdue, on something closed, crossing workstreams."""
    workstreams = list(programme.workstreams.filter(rules.open_q()).order_by("order", "name"))
    columns = {w.pk: i for i, w in enumerate(workstreams)}
    projects = list(
        Project.objects.filter(workstream__programme=programme)
        .select_related("workstream")
        .annotate(latest_update_id=latest_update_id("project"))
        .annotate(headline_level_id=rules.headline_rating_sql("project", "workstream__programme_id", "level_id"))
        .order_by("name")
    )
    headline_levels = StatusLevel.objects.in_bulk({p.headline_level_id for p in projects if p.headline_level_id})
    dependencies = list(
        Dependency.objects.filter(from_project__workstream__programme=programme)
        .exclude(status=DependencyStatus.CLOSED)
        .select_related("from_project", "to_project")
    )
    involved = {d.from_project_id for d in dependencies} | {d.to_project_id for d in dependencies if d.to_project_id}
    nodes, per_column = {}, {}
    outside_column = len(workstreams)
    for project in projects:
        if project.pk not in involved:
            continue
        column = columns.get(project.workstream_id, outside_column + 1)
        row = per_column.setdefault(column, 0)
        per_column[column] += 1
        level = headline_levels.get(project.headline_level_id)
        attention = ""
        if not project.is_open:
            attention = project.get_lifecycle_display().lower()
        elif level and level.requires_reason:
            attention = level.label
        nodes[f"p{project.pk}"] = MapNode(
            f"p{project.pk}", project.name, column, row, project.get_absolute_url(), attention
        )
    edges = []
    for dependency in dependencies:
        source = nodes[f"p{dependency.from_project_id}"]
        if dependency.to_project_id:
            target = nodes[f"p{dependency.to_project_id}"]
        else:
            key = f"x{dependency.external_name}"
            if key not in nodes:
                row = per_column.setdefault(outside_column, 0)
                per_column[outside_column] += 1
                nodes[key] = MapNode(
                    key, f"{dependency.external_name} ({dependency.get_external_kind_display()})", outside_column, row
                )
            target = nodes[key]
        flags = []
        if target.attention:
            flags.append(f"on something {target.attention}")
        if dependency.needed_by and dependency.needed_by < today and dependency.status != DependencyStatus.MET:
            flags.append("overdue")
        if dependency.to_project_id and dependency.to_project.workstream_id != dependency.from_project.workstream_id:
            flags.append("crosses workstreams")
        edges.append(MapEdge(dependency, source, target, flags))
    return workstreams, list(nodes.values()), edges


def overdue_actions_reading(subject, day, rule, entered):
    """The `overdue-actions` status measure (`workstreams.status_rules`): the actions on the item's open risks
    (a project's own; a workstream's and its projects'; a programme's whole register and work) still open past
    their due date on `day`, out of all its risks' actions not cancelled."""
    from decimal import Decimal

    from workstreams.models import Programme, Workstream
    from workstreams.status_rules import Reading

    if isinstance(subject, Programme):
        scope = (
            Q(risk__register__programme=subject)
            | Q(risk__workstream__programme=subject)
            | Q(risk__project__workstream__programme=subject)
        )
    elif isinstance(subject, Workstream):
        scope = Q(risk__workstream=subject) | Q(risk__project__workstream=subject)
    else:
        scope = Q(risk__project=subject)
    actions = RiskAction.objects.filter(scope, risk__status=RiskStatus.OPEN).exclude(status=ActionStatus.CANCELLED)
    counts = actions.aggregate(
        total=Count("pk", distinct=True),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_date__lt=day), distinct=True),
    )
    total, overdue = counts["total"], counts["overdue"]
    if not total:
        return Reading(Decimal(0), 0, "no risk actions")
    return Reading(Decimal(overdue), total, f"{overdue} of {total} actions overdue")
