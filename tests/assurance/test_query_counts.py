"""Every assurance page, and the publish page's data-quality gate, make the same queries at two data sizes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assurance import services
from assurance.models import Benefit, BenefitMeasurement, Decision, Driver, EmbeddingAction
from reporting import services as report_services
from reporting.models import Board
from tests.builders import build_portfolio
from tests.querycounts import assert_pinned
from workstreams.models import Project

pytestmark = pytest.mark.django_db


def build(size, pmo):
    programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=1)
    projects = list(Project.objects.filter(workstream__programme=programme))
    hub = services.driver_save(driver=Driver(kind="audit", title="Hub", source="Audit"), by=pmo, reason="r")
    for n, project in enumerate(projects):
        driver = services.driver_save(
            driver=Driver(kind="recommendation", title=f"Rec {n}", source="HMICFRS"), by=pmo, reason="r"
        )
        services.driver_link(driver=driver, item=project, by=pmo, reason="r")
        services.driver_link(driver=hub, item=project, by=pmo, reason="r")
        services.evidence_add(driver=hub, summary=f"Evidence {n}", provided_on=date(2022, 5, 1), by=pmo)
        benefit = services.item_record_save(
            record=Benefit(
                title=f"Benefit {n}",
                kind="hours",
                unit="hours",
                owner_name="Owner",
                baseline=0,
                baseline_on=date(2022, 1, 1),
                target=100,
                target_on=date(2023, 1, 1),
            ),
            item=project,
            by=pmo,
            reason="r",
        )
        for k in range(2):
            services.item_record_save(
                record=BenefitMeasurement(
                    benefit=benefit, measured_on=date(2022, 3, 1) + timedelta(days=k), value=k * 10
                ),
                by=pmo,
                reason="r",
            )
        services.item_record_save(
            record=EmbeddingAction(description=f"Embed {n}", owner_name="Area", due_on=date(2022, 9, 1)),
            item=project,
            by=pmo,
            reason="r",
        )
        services.item_record_save(record=Decision(programme=programme, title=f"Decide {n}"), by=pmo, reason="r")
    for n in range(max(1, size // 5)):
        case = services.case_create(
            programme=programme,
            title=f"Case {n}",
            by=pmo,
            reason="r",
            workstreams=list(programme.workstreams.all()[:2]),
            funding=[("2022/23", "revenue", 1000), ("2023/24", "capital", 500)],
        )
        services.case_decide(case=case, outcome="submitted", on=date(2022, 7, 1), board=Board.objects.first(), by=pmo)
    report = report_services.report_create_draft(
        board=Board.objects.get(name="Executive"), programme=programme, meeting_date=date(2022, 6, 1), by=pmo
    )
    return {"programme": programme, "hub": hub, "case": case, "report": report}


PAGES = {
    "assurance:drivers": lambda w: [],
    "assurance:driver": lambda w: [w["hub"].pk],
    "assurance:coverage": lambda w: [w["programme"].pk],
    "assurance:cases": lambda w: [w["programme"].pk],
    "assurance:case": lambda w: [w["case"].pk],
    "assurance:benefits": lambda w: [w["programme"].pk],
    "assurance:embedding": lambda w: [w["programme"].pk],
    "assurance:decisions": lambda w: [w["programme"].pk],
    "reporting:report_publish": lambda w: [w["report"].pk],
    "reporting:report": lambda w: [w["report"].pk],
}


def test_assurance_pages_make_the_same_queries_at_two_sizes(client, pmo):
    client.force_login(pmo)
    worlds = [build(size, pmo) for size in (5, 60)]
    for name, args in PAGES.items():
        counts = []
        for world in worlds:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name, args=args(world)))
            assert response.status_code == 200, name
            counts.append(len(ctx.captured_queries))
        assert_pinned(name, counts)
