"""A realistic large portfolio on demand, for benchmarks and load tests: programmes, workstreams, projects with
years of monthly rated updates, prioritisation assessments, risks with actions, dependencies, and published
reports. Deterministic for a seed; built with the history-aware bulk helpers so large sizes take minutes.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from changeprog.governance import bulk_create_governed
from changeprog.roles import PROGRAMME_OFFICE, VIEWER
from reporting.models import Board
from risks.models import (
    Dependency,
    PriorityAssessment,
    PriorityImpact,
    Register,
    RegisterLevel,
    Risk,
    RiskAction,
    RiskScheme,
)
from workstreams import services
from workstreams.models import Project, StatusDimension, StatusLevel, StatusRating, StatusUpdate, Workstream

REASON = "Generated portfolio"


@dataclass(frozen=True)
class Size:
    programmes: int
    projects: int
    months: int
    risks: int
    dependencies: int
    reports: int
    workstreams_per_programme: int = 8
    finance_years: int = 0  # financial years of monthly figures per project, ending with the current one
    milestones_per_project: int = 0


SIZES = {
    "small": Size(programmes=2, projects=40, months=6, risks=40, dependencies=20, reports=2),
    "demo": Size(programmes=1, projects=15, months=12, risks=10, dependencies=7, reports=2),
    "large": Size(
        programmes=10,
        projects=2000,
        months=24,
        risks=5000,
        dependencies=3000,
        reports=50,
        finance_years=5,
        milestones_per_project=10,
    ),
    # Five times the large portfolio: the benchmark checks that pages showing a fixed number of rows cost about
    # the same here (docs/performance.md).
    "xlarge": Size(
        programmes=50,
        projects=10000,
        months=24,
        risks=25000,
        dependencies=15000,
        reports=250,
        finance_years=5,
        milestones_per_project=10,
    ),
}


def _month(end: date, back: int) -> date:
    year, month = end.year, end.month - back
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1)


def _bulk(objects, model, by, effective=None):
    return bulk_create_governed(objects, model, by=by, reason=REASON, effective=effective)


def generate(size: Size, *, seed: int = 1, prefix: str = "GEN", end: date | None = None, log=print) -> dict:
    """Create the portfolio; returns counts. Programme codes are PREFIX01, PREFIX02 …; running it again with
    the same prefix adds nothing."""
    rng = random.Random(seed)  # noqa: S311  # nosec B311 - repeatable test data, not secrets
    end = end or date.today().replace(day=1)
    User = get_user_model()
    office, _ = User.objects.get_or_create(
        username=f"{prefix.lower()}-office", defaults={"first_name": "Generated", "last_name": "Office"}
    )
    office.groups.add(Group.objects.get(name=PROGRAMME_OFFICE))
    reader, _ = User.objects.get_or_create(username=f"{prefix.lower()}-viewer", defaults={"first_name": "Generated"})
    reader.groups.add(Group.objects.get(name=VIEWER))
    if services.Programme.objects.filter(code__startswith=prefix).exists():
        log(f"Programmes {prefix}… already exist; nothing added.")
        return {}
    rag = list(StatusLevel.objects.filter(scale__code="rag").order_by("severity"))
    delivery = list(StatusLevel.objects.filter(scale__code="delivery").order_by("severity"))
    weights = [6, 3, 1]  # mostly Green, some Amber, a few Red
    months = [_month(end, back) for back in range(size.months - 1, -1, -1)]
    counts = dict.fromkeys(["programmes", "workstreams", "projects", "updates", "risks", "dependencies", "reports"], 0)
    with transaction.atomic():
        programmes = []
        for p in range(size.programmes):
            programme = services.programme_create(
                code=f"{prefix}{p + 1:02d}",
                name=f"Generated programme {p + 1}",
                organisation="Anyshire Police",
                manager=office,
                start_date=months[0],
                by=office,
                reason=REASON,
                effective=months[0],
            )
            programmes.append(programme)
        counts["programmes"] = len(programmes)
        workstreams = _bulk(
            [
                Workstream(
                    programme=programme,
                    name=f"Workstream {w + 1}",
                    order=w,
                    lead=office,
                    start_date=months[0],
                )
                for programme in programmes
                for w in range(size.workstreams_per_programme)
            ],
            Workstream,
            office,
            effective=months[0],
        )
        counts["workstreams"] = len(workstreams)
        projects = []
        for n in range(size.projects):
            ws = workstreams[n % len(workstreams)]
            baseline = months[0] + timedelta(days=rng.randint(300, 900))
            slip = rng.choice([0, 0, 0, 30, 90])
            projects.append(
                Project(
                    workstream=ws,
                    name=f"Project {n + 1:05d}",
                    manager=office,
                    start_date=months[0],
                    baseline_end_date=baseline,
                    forecast_end_date=baseline + timedelta(days=slip),
                    planned_closure_date=baseline if rng.random() < 0.1 else None,
                )
            )
        projects = _bulk(projects, Project, office, effective=months[0])
        counts["projects"] = len(projects)
        log(
            f"Structure: {counts['programmes']} programmes, {counts['workstreams']} workstreams, {len(projects)} projects"
        )

        dims = {
            (d.programme_id, d.code): d
            for d in StatusDimension.objects.filter(programme__in=programmes).select_related("scale")
        }
        subjects = [("programme", p, p.pk) for p in programmes]
        subjects += [("workstream", w, w.programme_id) for w in workstreams]
        ws_programme = {w.pk: w.programme_id for w in workstreams}
        subjects += [("project", p, ws_programme[p.workstream_id]) for p in projects]
        updates, plan = [], []
        applies = {
            "programme": "applies_to_programme",
            "workstream": "applies_to_workstreams",
            "project": "applies_to_projects",
        }
        for kind, item, programme_id in subjects:
            for day in months:
                updates.append(
                    StatusUpdate(
                        **{kind: item},
                        as_of=day,
                        author=office,
                        reason="Monthly update",
                        progress="Progress this month.",
                        next_steps="Next month's work.",
                    )
                )
                plan.append((programme_id, applies[kind]))
        updates = _bulk(updates, StatusUpdate, office)
        ratings = []
        for update, (programme_id, flag) in zip(updates, plan, strict=True):
            for code in ("overall", "schedule"):
                dimension = dims.get((programme_id, code))
                if dimension is None or not getattr(dimension, flag) or dimension.scale.code not in ("rag", "delivery"):
                    continue
                level = (
                    rng.choices(rag[:3], weights=weights)[0] if dimension.scale.code == "rag" else rng.choice(delivery)
                )
                ratings.append(StatusRating(update=update, dimension=dimension, level=level, reason="Why it stands so"))
        _bulk(ratings, StatusRating, office)
        counts["updates"] = len(updates)
        log(f"Updates: {len(updates)} with {len(ratings)} ratings")

        scheme = RiskScheme.objects.get(is_current=True)
        categories = list(scheme.categories.all())
        intervals = {
            c.likelihood * 10 + c.impact: c.band.review_interval_days for c in scheme.cells.select_related("band")
        }
        assessments = _bulk(
            [
                PriorityAssessment(
                    project=p, scheme=scheme, assessed_on=months[-1], likelihood=rng.randint(1, 5), assessed_by=office
                )
                for p in projects
            ],
            PriorityAssessment,
            office,
        )
        _bulk(
            [
                PriorityImpact(assessment=a, category=c, impact=rng.randint(0, 5))
                for a in assessments
                for c in categories
            ],
            PriorityImpact,
            office,
        )
        registers = _bulk(
            [
                Register(
                    level=RegisterLevel.PROGRAMME,
                    code=p.code,
                    name=f"{p.code} programme risk register",
                    programme=p,
                    owner=office,
                )
                for p in programmes
            ],
            Register,
            office,
        )
        risks, numbers = [], dict.fromkeys((r.pk for r in registers), 0)
        for n in range(size.risks):
            register = registers[n % len(registers)]
            numbers[register.pk] += 1
            current = (rng.randint(1, 5), rng.randint(1, 5))
            raised = months[rng.randrange(len(months))]
            risks.append(
                Risk(
                    register=register,
                    number=numbers[register.pk],
                    title=f"Generated risk {n + 1}",
                    scheme=scheme,
                    category=categories[n % len(categories)],
                    owner=office,
                    inherent_likelihood=5,
                    inherent_impact=max(current[1], 4),
                    current_likelihood=current[0],
                    current_impact=current[1],
                    target_likelihood=1,
                    target_impact=min(current[1], 2),
                    raised_on=raised,
                    next_review_due=raised + timedelta(days=intervals[current[0] * 10 + current[1]]),
                )
            )
        risks = _bulk(risks, Risk, office)
        _bulk(
            [
                RiskAction(
                    risk=r, description="Mitigating action", owner=office, due_date=r.raised_on + timedelta(days=60)
                )
                for r in risks
            ],
            RiskAction,
            office,
        )
        counts["risks"] = len(risks)
        by_programme: dict = {}
        for p in projects:
            by_programme.setdefault(ws_programme[p.workstream_id], []).append(p)
        dependencies, seen = [], set()
        pools = [pool for pool in by_programme.values() if len(pool) > 1]
        for n in range(size.dependencies if pools else 0):
            a, b = rng.sample(pools[n % len(pools)], 2)
            if (a.pk, b.pk) not in seen:  # a repeat draw is skipped, so a few fewer than asked may be made
                seen.add((a.pk, b.pk))
                dependencies.append(
                    Dependency(from_project=a, to_project=b, owner=office, needed_by=a.forecast_end_date)
                )
        _bulk(dependencies, Dependency, office)
        counts["dependencies"] = len(dependencies)
        log(f"Risks: {len(risks)} with actions; {len(dependencies)} dependencies; {len(assessments)} assessments")
        counts["finance lines"], counts["milestones"] = _plan(size, projects, end, rng, office, planned_on=months[0])
        log(f"Money and plan: {counts['finance lines']} monthly figures, {counts['milestones']} milestones")

    counts["reports"] = _reports(programmes, size.reports, months, office)
    log(f"Reports: {counts['reports']} published")
    return counts


def _plan(size: Size, projects, end: date, rng, office, *, planned_on: date) -> tuple[int, int]:
    """Monthly figures over `size.finance_years` financial years (to the current one) and milestones for each
    project: actuals for past months, forecasts for the rest, a few overspends; past milestones mostly achieved,
    some overdue, the rest planned. Milestones are on record from `planned_on` (when the projects began), as a
    plan is, not all added today."""
    from decimal import Decimal

    from finance.models import FinanceLine
    from finance.years import FinancialYear
    from workstreams.models import Milestone, MilestoneStatus

    lines, milestones = [], []
    if size.finance_years:
        current = FinancialYear.of(end)
        months = [m for y in range(size.finance_years) for m in FinancialYear(current.start - y).months()]
        for n, project in enumerate(projects):
            kind = "capital" if n % 2 else "revenue"
            over = Decimal(rng.choice([90, 100, 100, 105, 120])) / 100
            for month in months:
                budget = Decimal(rng.randint(5, 50) * 1000)
                past = month < end
                lines.append(
                    FinanceLine(
                        project=project,
                        month=month,
                        kind=kind,
                        budget=budget,
                        actual=(budget * over).quantize(Decimal("1")) if past else None,
                        forecast=None if past else (budget * over).quantize(Decimal("1")),
                    )
                )
        _bulk(lines, FinanceLine, office, effective=planned_on)
    for project in projects if size.milestones_per_project else []:
        span = max((project.baseline_end_date - project.start_date).days, size.milestones_per_project)
        for m in range(size.milestones_per_project):
            baseline = project.start_date + timedelta(days=span * (m + 1) // size.milestones_per_project)
            achieved = baseline < end and rng.random() < 0.85
            milestones.append(
                Milestone(
                    project=project,
                    name=f"Milestone {m + 1}",
                    owner=office,
                    baseline_date=baseline,
                    forecast_date=None if achieved else baseline + timedelta(days=rng.choice([0, 0, 14, 45])),
                    actual_date=min(baseline + timedelta(days=rng.randint(-5, 20)), end) if achieved else None,
                    status=MilestoneStatus.COMPLETE if achieved else MilestoneStatus.PLANNED,
                    tell_committee=rng.random() < 0.1,
                )
            )
    _bulk(milestones, Milestone, office, effective=planned_on)
    return len(lines), len(milestones)


def _reports(programmes, count, months, office) -> int:
    from reporting import quality
    from reporting import services as reports

    boards = list(Board.objects.order_by("name"))
    made = 0
    for n in range(count):
        programme = programmes[n % len(programmes)]
        day = months[-1 - (n // len(programmes)) % len(months)]
        report = reports.report_create_draft(
            board=boards[n % len(boards)],
            programme=programme,
            meeting_date=day,
            comparison_date=day - timedelta(days=30),
            by=office,
        )
        found = [f.code for f in quality.findings(report)]
        reports.report_publish(report=report, by=office, acknowledged=found)
        made += 1
    return made
