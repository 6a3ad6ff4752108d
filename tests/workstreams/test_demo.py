"""The demo programme is the seed report held as data, dated so its history shows April → June 2022."""

from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest

from demo.portfolio import (
    CHANGE_BOARD,
    COMMITTEE_REPORT,
    FCR_AMBER,
    FCR_REPLAN,
    ORIGINAL_WORKSTREAMS,
    REVISED_WORKSTREAMS,
    RM_DESIGN,
    RM_RED,
    load_demo,
)
from tests.conftest import has_badge
from workstreams.models import Lifecycle, Programme, StatusLevel, Workstream
from workstreams.selectors import programme_overview

pytestmark = pytest.mark.django_db

ORIGINAL = ORIGINAL_WORKSTREAMS
REVISED = REVISED_WORKSTREAMS


def snapshot():
    """Every row of every table the demo touches, as plain values."""
    rows = {}
    for label in ("workstreams", "risks", "finance", "auth"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = sorted(map(repr, model.objects.values_list()))
    return rows


def test_load_demo_twice_leaves_the_same_rows():
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert len(first["workstreams.HistoricalStatusUpdate"]) > 0


def test_the_demo_holds_the_five_original_and_five_revised_workstreams():
    programme, created = load_demo(password="x" * 16)
    assert created
    names = list(Workstream.objects.filter(programme=programme).values_list("name", flat=True))
    assert names == ORIGINAL + REVISED
    assert (programme.code, programme.organisation) == ("T2025", "Cleveland Police")


def test_the_demo_statuses_and_reasons_are_the_seeds():
    programme, _ = load_demo(password="x" * 16)
    overview = programme_overview(programme)
    rag = {lv.code: lv for lv in StatusLevel.objects.filter(scale__code="rag")}
    by_name = {row.item.name: row for row in overview.workstreams}

    def overall(name):
        return next(c.rating for c in by_name[name].cells if c.dimension.code == "overall")

    assert (overall("Force Control Room").level, overall("Force Control Room").explanation) == (
        rag["AMBER"],
        f"{FCR_AMBER} {FCR_REPLAN}",
    )
    assert overall("Integrated Offender Management").level == rag["AMBER"]
    assert by_name["Integrated Offender Management"].item.planned_closure_date == date(2022, 6, 30)
    assert (overall("Resource Management").level, overall("Resource Management").explanation) == (
        rag["RED"],
        f"{RM_RED} {RM_DESIGN}",
    )
    for closed in ("Vulnerability (Prevention/Engagement & Missing)", "Raising Investigation Standards"):
        assert by_name[closed].item.lifecycle == Lifecycle.CLOSED
        assert "evidence provided to support the relevant HMICFRS recommendations" in by_name[closed].item.closure_note

    programme_cells = {c.dimension.code: c.rating for c in overview.status.cells}
    assert {code for code, rating in programme_cells.items() if rating} == {"overall", "risk", "funding"}
    assert all(programme_cells[code].level == rag["RED"] for code in ("overall", "risk", "funding"))
    assert "scale of change required against affordability" in programme_cells["funding"].explanation


def test_the_demo_history_is_dated_from_april_to_june_2022():
    programme, _ = load_demo(password="x" * 16)
    april = programme_overview(programme, as_of=CHANGE_BOARD)
    june = programme_overview(programme, as_of=COMMITTEE_REPORT)
    assert april.status.update.as_of == CHANGE_BOARD
    assert june.status.update.as_of == COMMITTEE_REPORT
    fcr_history = Workstream.objects.get(name="Force Control Room").history.order_by("history_date")
    assert fcr_history.first().history_date.date() == date(2021, 8, 1)
    moved = programme.workstreams.get(name="Public Contact & Engagement").projects.get(name__startswith="SOLH")
    assert [h.workstream.name for h in moved.history.order_by("history_date")] == [
        "Vulnerability (Prevention/Engagement & Missing)",
        "Public Contact & Engagement",
    ]


def test_demo_users_have_their_roles_and_the_demo_password(client, settings):
    load_demo(password="a-demo-password")
    assert client.login(request=HttpRequest(), username="pmo", password="a-demo-password")
    page = client.get(Programme.objects.get(code="T2025").get_absolute_url()).content.decode()
    for name in ORIGINAL:
        assert name.replace("&", "&amp;") in page
    assert has_badge(page, StatusLevel.objects.get(scale__code="rag", code="RED"))
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert [g.name for g in users["lead"].groups.all()] == ["Contributor"]
    assert [g.name for g in users["viewer"].groups.all()] == ["Viewer"]
    assert users["admin"].is_superuser
    assert Workstream.objects.get(name="Force Control Room").lead == users["lead"]


def test_no_migration_creates_a_demo_user():
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()


def test_as_at_the_april_board_the_programme_had_its_five_original_workstreams():
    programme, _ = load_demo(password="x" * 16)
    april = programme_overview(programme, as_of=CHANGE_BOARD)
    assert [w.item.name for w in april.workstreams] == ORIGINAL
    assert all(w.item.is_open for w in april.workstreams)
    vulnerability = next(w for w in april.workstreams if w.item.name.startswith("Vulnerability"))
    assert [p.item.name for p in vulnerability.projects] == [
        "SOLH technology exploitation review",
        "Social Media technology exploitation review",
        "Use of Consumer Insights review",
    ]


def test_as_at_july_2022_the_programme_shows_the_revised_workstreams():
    programme, _ = load_demo(password="x" * 16)
    july = programme_overview(programme, as_of=date(2022, 7, 1))
    assert [w.item.name for w in july.open_workstreams] == [
        "Force Control Room",
        "Integrated Offender Management",
        "Resource Management",
        *REVISED,
    ]
    assert {w.item.name for w in july.finished_workstreams} == {ORIGINAL[2], ORIGINAL[4]}
    pce = next(w for w in july.workstreams if w.item.name == "Public Contact & Engagement")
    assert "SOLH technology exploitation review" in [p.item.name for p in pce.projects]


def test_the_demo_has_illustrative_money_over_budget_and_the_papers_dates_as_milestones(client):
    from finance.selectors import year_position
    from finance.years import FinancialYear
    from workstreams.models import Milestone

    call_command("load_demo")
    from demo.portfolio import PROGRAMME_CODE

    programme = Programme.objects.get(code=PROGRAMME_CODE)
    position = year_position(programme, FinancialYear(2022))
    # Funding is Red "against affordability": the illustrative 2022/23 forecast is over budget, outside tolerance.
    assert position.outside_tolerance and position.total.variance > 0
    assert all(
        h.history_change_reason.startswith("Illustrative") for h in programme.finance_lines.first().history.all()
    )
    fcr = Milestone.objects.get(name="FCR technology requirements implemented")
    assert (fcr.baseline_date, fcr.forecast_date) == (date(2022, 3, 31), date(2022, 6, 30))
    assert Milestone.objects.filter(tell_committee=True).count() == 3
