"""Reads for assurance and value. Each page reads a fixed number of queries, whatever the data's size."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assurance.models import (
    Benefit,
    BenefitMeasurement,
    BusinessCase,
    Decision,
    DecisionStatus,
    Driver,
    DriverLink,
    EmbeddingAction,
    EmbeddingStatus,
    Evidence,
)
from changeprog.effective import Moment, rows_as_at
from workstreams import rules
from workstreams.models import Project, Workstream
from workstreams.selectors import programme_overview, projects_for_list, workstreams_for_list


def drivers_for_list() -> QuerySet[Driver]:
    """Every driver with how much answers it and how much evidence has been accepted."""
    return Driver.objects.annotate(
        link_count=Count("links", distinct=True),
        evidence_count=Count("evidence", distinct=True),
        accepted_count=Count("evidence", filter=Q(evidence__accepted_on__isnull=False), distinct=True),
    ).order_by("kind", "source", "reference", "title")


def linked_work(links) -> list[tuple[DriverLink, object]]:
    """Each link with its workstream or project annotated with its latest headline status (two queries)."""
    project_ids = [link.project_id for link in links if link.project_id]
    workstream_ids = [link.workstream_id for link in links if link.workstream_id]
    projects = {p.pk: p for p in projects_for_list().filter(pk__in=project_ids)}
    workstreams = {w.pk: w for w in workstreams_for_list().filter(pk__in=workstream_ids)}
    return [
        (link, projects.get(link.project_id) if link.project_id else workstreams.get(link.workstream_id))
        for link in links
    ]


def driver_links(driver: Driver) -> list[DriverLink]:
    return list(driver.links.select_related("workstream__programme", "workstream__lead", "project__workstream__lead"))


def driver_evidence(driver: Driver) -> list[Evidence]:
    return list(driver.evidence.select_related("added_by", "accepted_by"))


@dataclass
class Coverage:
    unanswered: list[Driver]
    unlinked_workstreams: list[Workstream]
    unlinked_projects: list[Project]
    closed_without_evidence: list[Driver]


def coverage(programme) -> Coverage:
    """Drivers nothing answers, this programme's open work that answers no driver, and drivers whose work in
    this programme has all closed with no evidence accepted."""
    any_link = DriverLink.objects.filter
    unanswered = list(Driver.objects.filter(~Exists(any_link(driver=OuterRef("pk")))).order_by("kind", "title"))
    workstreams = list(
        programme.workstreams.filter(rules.open_q())
        .filter(~Exists(any_link(workstream=OuterRef("pk"))))
        .filter(~Exists(any_link(project__workstream=OuterRef("pk"))))
        .order_by("order", "name")
    )
    projects = list(
        Project.objects.filter(rules.open_q(), workstream__programme=programme)
        .filter(~Exists(any_link(project=OuterRef("pk"))))
        .filter(~Exists(any_link(workstream=OuterRef("workstream"))))
        .select_related("workstream")
        .order_by("workstream__order", "name")
    )
    closed = closed_without_evidence(programme_overview(programme), timezone.localdate())
    return Coverage(unanswered, workstreams, projects, closed)


def closed_without_evidence(overview, day: date) -> list[Driver]:
    """Drivers whose work in the overview's programme had all closed by `day` (its structure as it stood then)
    with no evidence accepted by then. The coverage view asks about today; the data-quality gate about the
    meeting date."""
    state = {("w", w.item.pk): w.item.is_open for w in overview.workstreams}
    state |= {("p", p.item.pk): p.item.is_open for w in overview.workstreams for p in w.projects}
    links = DriverLink.objects.filter(in_programme(overview.programme)).select_related("driver")
    by_driver: dict = {}
    for link in links:
        key = ("p", link.project_id) if link.project_id else ("w", link.workstream_id)
        if key in state:  # work that existed by then
            by_driver.setdefault(link.driver, []).append(state[key])
    accepted = set(
        Evidence.objects.filter(driver__in=list(by_driver), accepted_on__lte=day).values_list("driver_id", flat=True)
    )
    return sorted(
        (d for d, open_states in by_driver.items() if not any(open_states) and d.pk not in accepted),
        key=lambda d: d.title,
    )


def programme_drivers(programme, *, as_of: date | None = None):
    """The drivers this programme's work answers, each with `answered_by` (the work linked to it) and its
    evidence. As at a date: the links in force then (from their history) and the evidence provided by then."""
    in_programme = Q(workstream__programme=programme) | Q(project__workstream__programme=programme)
    evidence = Evidence.objects.select_related("accepted_by").order_by("provided_on", "pk")
    if as_of:
        evidence = evidence.filter(provided_on__lte=as_of)
        links = rows_as_at(DriverLink.history.model, Moment(as_of)).filter(in_programme)
    else:
        links = DriverLink.objects.filter(in_programme)
    by_driver: dict[int, list] = {}
    for link in links.select_related("workstream", "project").order_by("pk"):
        by_driver.setdefault(link.driver_id, []).append(link.workstream or link.project)
    drivers = list(
        Driver.objects.filter(pk__in=list(by_driver))
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("kind", "source", "reference", "title")
    )
    for driver in drivers:
        driver.answered_by = by_driver[driver.pk]
    return drivers


def in_programme(programme) -> Q:
    return Q(workstream__programme=programme) | Q(project__workstream__programme=programme)


@dataclass
class BenefitRow:
    benefit: Benefit
    latest: BenefitMeasurement | None
    measurements: list

    @property
    def planned_change(self) -> Decimal:
        return self.benefit.target - self.benefit.baseline

    @property
    def realised_change(self) -> Decimal:
        return (self.latest.value - self.benefit.baseline) if self.latest else Decimal(0)

    @property
    def realised_percent(self) -> int | None:
        if not self.planned_change:
            return None
        return round(100 * self.realised_change / self.planned_change)


def programme_benefits(programme, *, as_of: date | None = None) -> list[BenefitRow]:
    measurements = BenefitMeasurement.objects.order_by("measured_on", "pk")
    if as_of:
        measurements = measurements.filter(measured_on__lte=as_of)
    benefits = (
        Benefit.objects.filter(in_programme(programme))
        .select_related("workstream", "project__workstream")
        .prefetch_related(Prefetch("measurements", queryset=measurements))
        .order_by("kind", "title")
    )
    rows = []
    for benefit in benefits:
        taken = list(benefit.measurements.all())
        rows.append(BenefitRow(benefit, taken[-1] if taken else None, taken))
    return rows


def programme_embedding(programme, *, as_of: date | None = None) -> list[EmbeddingAction]:
    """The embedding actions of the programme's work; as at a date, as they stood then (from their history:
    actions added later are absent, and each shows the status and dates it had)."""
    if as_of:
        rows = rows_as_at(EmbeddingAction.history.model, Moment(as_of)).filter(in_programme(programme))
    else:
        rows = EmbeddingAction.objects.filter(in_programme(programme))
    actions = list(rows.select_related("workstream", "project__workstream").order_by("status", "due_on", "id"))
    for action in actions:
        action.work = action.workstream or action.project
    return actions


def open_embedding_count(programme) -> int:
    return EmbeddingAction.objects.filter(in_programme(programme), status=EmbeddingStatus.OPEN).count()


def programme_decisions(programme) -> list[Decision]:
    return list(
        Decision.objects.filter(programme=programme)
        .select_related("board", "update")
        .order_by("status", "-decided_on", "needed_by", "pk")
    )


def decisions_asked_in_updates(programme, logged_update_ids) -> list:
    """The latest update of each item of the programme that asks for a decision not yet in the log."""
    from workstreams.models import StatusUpdate

    updates = (
        StatusUpdate.objects.filter(
            Q(programme=programme) | Q(workstream__programme=programme) | Q(project__workstream__programme=programme)
        )
        .exclude(decisions_needed="")
        .exclude(pk__in=logged_update_ids)
        .select_related("programme", "workstream", "project")
        .order_by("-as_of", "-pk")
    )
    return list(updates[:50])


def programme_cases(programme) -> list[BusinessCase]:
    return list(
        programme.business_cases.prefetch_related("workstreams", "funding")
        .select_related("created_by")
        .order_by("title", "-version")
    )


def decision_status_counts(programme) -> dict:
    return dict(Decision.objects.filter(programme=programme).values_list("status").annotate(n=Count("pk")).order_by())


def evidence_owed(user) -> list[Driver]:
    """Drivers answered by open work `user` leads or manages with no evidence accepted yet: the evidence the
    programme office waits for from them. Each driver carries `for_work`, the user's items answering it."""
    links = DriverLink.objects.filter(
        (Q(workstream__lead=user) & rules.open_q("workstream__"))
        | ((Q(project__manager=user) | Q(project__workstream__lead=user)) & rules.open_q("project__"))
    ).select_related("driver", "workstream", "project")
    by_driver: dict[int, Driver] = {}
    for link in links.order_by("driver__title", "pk"):
        driver = by_driver.setdefault(link.driver_id, link.driver)
        driver.__dict__.setdefault("for_work", []).append(link.workstream or link.project)
    accepted = set(
        Evidence.objects.filter(driver__in=list(by_driver), accepted_on__isnull=False).values_list("driver", flat=True)
    )
    return [driver for pk, driver in by_driver.items() if pk not in accepted]


def decisions_asked(user) -> list[Decision]:
    """Decisions still needed from a board the user sits on, soonest first."""
    return list(
        Decision.objects.filter(status=DecisionStatus.NEEDED, board__members=user)
        .select_related("programme", "board")
        .order_by(F("needed_by").asc(nulls_last=True), "pk")
    )
