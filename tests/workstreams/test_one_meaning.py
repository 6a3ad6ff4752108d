"""One meaning for each figure: headline status, the reporting period and "no update this period", stale,
slipped and overdue are defined once (`workstreams.rules`) and every page, export and report agrees."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from changeprog.governance import save_governed
from reporting import quality
from reporting import services as report_services
from reporting.compose import compose
from reporting.dashboard import build_dashboard
from reporting.models import Board, ReportTemplate, SectionKind, TemplateSection
from tests.factories import make_project, make_workstream
from workstreams import rules, services
from workstreams.board import build_board
from workstreams.models import CadenceKind, ReportingCadence, StatusDimension
from workstreams.scales import LevelIndex
from workstreams.selectors import levels_of, programme_overview
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def dim(programme, code):
    return StatusDimension.objects.get(programme=programme, code=code)


# --- Headline status -------------------------------------------------------------------------------------------


def test_every_page_export_and_report_agrees_on_a_headline_when_only_another_dimension_is_rated(
    client, viewer, pmo, portfolio, rag
):
    """Project A is rated Red on Schedule only. Its headline (Overall, the first dimension) is Not rated
    everywhere: the board, the list and its export, the dashboard, a report's picture and the dependency map."""
    programme, project = portfolio["programme"], portfolio["project_a"]
    services.status_update_submit(
        subject=project,
        as_of=date(2022, 5, 31),
        ratings=[RatingInput(dim(programme, "schedule"), rag["RED"], "Late")],
        by=pmo,
    )
    overview = programme_overview(programme)
    row = next(p for w in overview.workstreams for p in w.projects if p.item.pk == project.pk)
    assert row.update is not None and row.headline is None
    client.force_login(viewer)

    board = client.get(reverse("workstreams:board", args=[programme.pk])).context["board"]
    [card] = [c for col in board.columns for c in col.cards if c.item.pk == project.pk]
    assert card.headline is None and board.counts.unrated == 2

    listed = client.get(reverse("workstreams:project_list"))
    [record] = [r.record for r in listed.context["table"].rows if r.record.pk == project.pk]
    assert record.headline_label is None and record.latest_as_of == date(2022, 5, 31)
    export = client.get(reverse("workstreams:project_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    status_column = rows[0].index("Latest status")
    [exported] = [r for r in rows if r[2] == "Project A"]
    assert exported[status_column] is None

    dashboard = build_dashboard(programme, day=date(2022, 6, 1), as_at=date(2022, 6, 1))
    assert dashboard.project_counts.unrated == 2 and sum(n for _, n in dashboard.project_counts.levels) == 0

    template = ReportTemplate.objects.create(name="Picture")
    TemplateSection.objects.create(
        template=template, order=1, heading="Programme", kind=SectionKind.GENERATED, generator="structure-after"
    )
    board_model = Board.objects.create(name="Picture board", template=template)
    report = report_services.report_create_draft(
        board=board_model, programme=programme, meeting_date=date(2022, 6, 1), by=pmo
    )
    figure = compose(report)["sections"][0]["blocks"][0]
    assert "Project A (no status)" in figure["description"]
    assert not any(shape.get("fill") == rag["RED"].colour for shape in figure["shapes"])

    from risks.selectors import dependency_map
    from risks.services import dependency_add

    dependency_add(from_project=portfolio["project_b"], to_project=project, by=pmo)
    _, nodes, _ = dependency_map(programme, today=date(2022, 6, 1))
    node = next(n for n in nodes if n.label == "Project A")
    assert node.attention == ""  # not flagged Red: its headline is not rated


def test_the_headline_is_the_first_dimension_in_the_programmes_order(pmo, portfolio, rag):
    programme, project = portfolio["programme"], portfolio["project_a"]
    schedule = dim(programme, "schedule")
    schedule.order = 0  # the defaults start at 1
    services.status_dimension_save(dimension=schedule, by=pmo, reason="Schedule leads for this programme")
    services.status_update_submit(
        subject=project,
        as_of=date(2022, 5, 31),
        ratings=[RatingInput(schedule, rag["RED"], "Late")],
        by=pmo,
    )
    row = next(p for w in programme_overview(programme).workstreams for p in w.projects if p.item.pk == project.pk)
    assert row.headline.level == rag["RED"]
    from workstreams.selectors import projects_for_list

    assert projects_for_list().get(pk=project.pk).headline_label == "Red"


# --- The reporting period --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "due"),
    [
        (CadenceKind.MONTHLY, date(2026, 12, 10), (date(2026, 11, 1), date(2026, 11, 30))),
        (CadenceKind.MONTHLY, date(2026, 1, 1), (date(2025, 12, 1), date(2025, 12, 31))),
        (CadenceKind.QUARTERLY, date(2026, 12, 10), (date(2026, 7, 1), date(2026, 9, 30))),
        (CadenceKind.QUARTERLY, date(2026, 2, 3), (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_the_period_due_is_the_last_whole_period_before_the_day(kind, day, due):
    assert rules.period_due(day, ReportingCadence(name="x", kind=kind)) == due


def test_a_cadence_of_every_n_weeks_counts_from_its_anchor():
    fortnightly = ReportingCadence(name="Fortnightly", kind=CadenceKind.WEEKS, every_weeks=2, anchor=date(2026, 1, 5))
    assert rules.period_containing(date(2026, 1, 20), fortnightly) == (date(2026, 1, 19), date(2026, 2, 1))
    assert rules.period_due(date(2026, 1, 20), fortnightly) == (date(2026, 1, 5), date(2026, 1, 18))
    assert rules.period_due(date(2026, 1, 2), fortnightly) == (date(2025, 12, 8), date(2025, 12, 21))


@pytest.fixture
def mixed(pmo, portfolio, rag):
    """A programme whose items reported at different times before a 10 December 2025 meeting."""
    programme = portfolio["programme"]
    overall = dim(programme, "overall")
    ws_c = make_workstream(programme, by=pmo, name="Workstream C")
    make_project(ws_c, by=pmo, name="Project C")
    for subject, day in [
        (programme, date(2025, 10, 15)),  # the programme itself reported in October only
        (portfolio["ws_a"], date(2025, 11, 30)),  # the last day of the period due
        (portfolio["ws_b"], date(2025, 12, 5)),  # since the period, before the meeting
        (portfolio["project_a"], date(2025, 10, 31)),
        (portfolio["project_b"], date(2025, 11, 1)),
    ]:
        services.status_update_submit(subject=subject, as_of=day, ratings=[RatingInput(overall, rag["GREEN"])], by=pmo)
    return programme


def test_board_dashboard_and_publish_gate_count_no_update_this_period_alike(client, pmo, mixed):
    meeting = date(2025, 12, 10)
    expected = {"Portfolio under test", "Project A", "Workstream C", "Project C"}
    # The board as at the meeting.
    client.force_login(pmo)
    board = client.get(reverse("workstreams:board", args=[mixed.pk]), {"as_at": meeting.isoformat()}).context["board"]
    assert {code: n for code, _, n in board.flag_counts}["no-update"] == len(expected)
    # The dashboard as at the meeting.
    dashboard = build_dashboard(mixed, day=meeting, as_at=meeting)
    [no_update] = [a for a in dashboard.attention if a.flag == "no-update"]
    assert {row.item.name for row in no_update.rows} == expected
    # The publish gate for a meeting that day.
    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"), programme=mixed, meeting_date=meeting, by=pmo
    )
    [finding] = [f for f in quality.findings(report) if f.code == "no-update"]
    assert {name for name, _ in finding.items} == expected
    assert "1 November 2025 to 30 November 2025" in finding.advice


def test_a_quarterly_board_checks_the_last_quarter_before_its_meeting(pmo, mixed):
    quarterly = ReportingCadence.objects.get(name="Quarterly")
    board = Board.objects.get(name="Executive")
    board.cadence = quarterly
    board.save()
    report = report_services.report_create_draft(board=board, programme=mixed, meeting_date=date(2026, 1, 20), by=pmo)
    [finding] = [f for f in quality.findings(report) if f.code == "no-update"]
    # The quarter due is October to December 2025: everything but Workstream C and Project C reported in it.
    assert {name for name, _ in finding.items} == {"Workstream C", "Project C"}


def test_a_programmes_own_cadence_drives_its_board_and_dashboard(pmo, mixed):
    mixed.cadence = ReportingCadence.objects.get(name="Quarterly")
    save_governed(mixed, by=pmo, reason="Reports quarterly", effective=date(2025, 10, 1))
    overview = programme_overview(mixed, as_of=date(2026, 1, 20))
    cadence = rules.cadence_for(overview.programme)
    assert cadence.name == "Quarterly"
    found = rules.flagged(rules.attention(overview, date(2026, 1, 20), cadence), "no-update")
    assert {f.row.item.name for f in found} == {"Workstream C", "Project C"}


def test_the_gate_checks_the_programmes_own_status(pmo, portfolio, rag):
    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    [finding] = [f for f in quality.findings(report) if f.code == "no-update"]
    assert "Portfolio under test" in [name for name, _ in finding.items]


# --- Stale, slipped and overdue ---------------------------------------------------------------------------------


def test_the_current_status_is_shown_with_its_date_and_a_stale_flag(client, viewer, pmo, portfolio, rag):
    programme = portfolio["programme"]
    services.status_update_submit(
        subject=programme,
        as_of=date(2022, 6, 1),
        ratings=[RatingInput(dim(programme, "overall"), rag["RED"], "Affordability")],
        by=pmo,
    )
    client.force_login(viewer)
    dashboard = client.get(reverse("reporting:dashboard", args=[programme.pk])).content.decode()
    assert "as at 1 Jun 2022" in dashboard and "stale: no update this period" in dashboard
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "as at 1 Jun 2022" in page and "stale: no update this period" in page
    home = client.get(reverse("workstreams:programme_list")).content.decode()
    assert "stale: no update this period" in home
    fresh = client.get(reverse("reporting:dashboard", args=[programme.pk]), {"as_at": "2022-07-15"}).content.decode()
    assert "as at 1 Jun 2022" in fresh and "stale: no update this period" not in fresh


def test_slipped_and_overdue_are_both_counted(pmo, portfolio):
    project_a, project_b = portfolio["project_a"], portfolio["project_b"]
    services.item_replan(
        item=project_a, forecast_end_date=date(2022, 3, 31), by=pmo, reason="Plan", effective=date(2021, 1, 1)
    )
    services.item_replan(
        item=project_a, forecast_end_date=date(2022, 9, 30), by=pmo, reason="Slip", effective=date(2021, 6, 1)
    )
    services.item_replan(
        item=project_b, forecast_end_date=date(2023, 3, 31), by=pmo, reason="Plan", effective=date(2021, 1, 1)
    )
    programme = portfolio["programme"]
    dashboard = build_dashboard(programme, day=date(2026, 11, 30))
    by_flag = {a.flag: {row.item.name for row in a.rows} for a in dashboard.attention}
    assert by_flag["slipped"] == {"Project A"}
    assert by_flag["overdue"] == {"Project A", "Project B"}  # both open years past their forecast end
    overview = programme_overview(programme)
    board = build_board(
        overview, day=date(2026, 11, 30), cadence=rules.cadence_for(programme), levels=levels_of(None), filters={},
        index=LevelIndex(),
    )  # fmt: skip
    counts = {code: n for code, _, n in board.flag_counts}
    assert (counts["slipped"], counts["overdue"]) == (1, 2)
    services.item_close(item=project_b, closed_on=date(2023, 3, 1), closure_note="Done", by=pmo, reason="Closed")
    dashboard = build_dashboard(programme, day=date(2026, 11, 30))
    assert {row.item.name for a in dashboard.attention if a.flag == "overdue" for row in a.rows} == {"Project A"}


def test_open_is_one_definition(portfolio):
    from workstreams.models import OPEN_LIFECYCLES, Lifecycle, Project

    assert {Lifecycle.PROPOSED, Lifecycle.ACTIVE, Lifecycle.CLOSING} == OPEN_LIFECYCLES
    assert set(Project.objects.filter(rules.open_q()).values_list("pk", flat=True)) == {
        p.pk for p in Project.objects.all() if p.is_open
    }
