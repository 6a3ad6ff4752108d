"""Portfolios of a chosen size, built with the history-aware bulk helpers so large ones stay quick."""

from datetime import date

from changeprog.governance import bulk_create_governed
from tests.factories import ON_RECORD_FROM, make_programme, make_workstream
from workstreams.models import Project, StatusLevel, StatusRating, StatusUpdate


def build_portfolio(*, projects: int, by, workstreams: int = 5, updates_per_item: int = 2):
    """A programme whose workstreams share `projects` projects, each item with dated, rated updates."""
    programme = make_programme(by=by, name=f"Programme of {projects} projects")
    dims = {d.code: d for d in programme.dimensions.all()}
    levels = list(StatusLevel.objects.filter(scale__code="rag"))
    streams = [make_workstream(programme, by=by, name=f"Stream {i}", lead=by) for i in range(workstreams)]
    created = bulk_create_governed(
        [Project(workstream=streams[i % workstreams], name=f"Project {i:05d}", manager=by) for i in range(projects)],
        Project,
        by=by,
        reason="Bulk test set-up",
        effective=ON_RECORD_FROM,
    )
    subjects = [("programme", programme)] + [("workstream", w) for w in streams] + [("project", p) for p in created]
    updates = bulk_create_governed(
        [
            StatusUpdate(**{field: item}, as_of=date(2022, month, 1), author=by, reason="Test reason")
            for field, item in subjects
            for month in range(1, updates_per_item + 1)
        ],
        StatusUpdate,
        by=by,
        reason="Bulk test set-up",
    )
    bulk_create_governed(
        [
            StatusRating(update=u, dimension=dims[code], level=levels[(u.pk + n) % len(levels)], reason="Why")
            for n, u in enumerate(updates)
            for code in ("overall", "schedule")
        ],
        StatusRating,
        by=by,
        reason="Bulk test set-up",
    )
    return programme, streams, created


def publish(report, by):
    """Publish a report as the office does when it has read the data-quality findings: acknowledging each."""
    from reporting import quality, services

    return services.report_publish(report=report, by=by, acknowledged=[f.code for f in quality.findings(report)])


def draft_paper(programme, by, *, board="Executive", meeting=date(2022, 6, 1), comparison=None):
    """A draft paper for one of the shipped boards (default: the Executive's June 2022 meeting)."""
    from reporting import services
    from reporting.models import Board

    return services.report_create_draft(
        board=Board.objects.get(name=board),
        programme=programme,
        meeting_date=meeting,
        comparison_date=comparison,
        by=by,
    )
