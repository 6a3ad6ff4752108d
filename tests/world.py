"""One of everything each page needs, with the personas, for tests that visit every page (the access matrix, the
fuzz test). Built once per test module inside a transaction that is rolled back at the module's end
(`world_fixture`), since building it is most of those modules' time."""

from datetime import date

import pytest
from django.db import transaction

from tests import factories
from tests.factories import make_portfolio
from workstreams import services
from workstreams.models import StatusLevel
from workstreams.services import RatingInput

PERSONAS = ["pmo", "lead_a", "lead_b", "viewer", "no_role", None]


def make_personas() -> dict:
    return {
        "pmo": factories.programme_office_user(username="pmo-user"),
        "lead_a": factories.contributor(username="lead-a"),
        "lead_b": factories.contributor(username="lead-b"),
        "viewer": factories.viewer(username="viewer-user"),
        "no_role": factories.UserFactory(username="no-role"),
    }


def build_world() -> dict:
    """The personas, the test portfolio and one of everything each page needs, built once per module."""
    users = make_personas()
    pmo = users["pmo"]
    portfolio = make_portfolio(pmo=pmo, lead_a=users["lead_a"], lead_b=users["lead_b"])
    from changeprog.governance import save_governed
    from workstreams.models import Portfolio

    # lead_a owns the portfolio of programmes: they record its status and publish its papers, as the office does.
    portfolio["portfolio"] = save_governed(
        Portfolio(code="CHG", name="Change portfolio", owner=users["lead_a"]), by=pmo, reason="Set up"
    )
    services.item_update(
        item=portfolio["programme"], changes={"portfolio": portfolio["portfolio"]}, by=pmo, reason="In the portfolio"
    )
    portfolio["programme"].refresh_from_db()
    rag = {level.code: level for level in StatusLevel.objects.filter(scale__code="rag")}
    update = services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=date(2022, 6, 1),
        ratings=[RatingInput(portfolio["programme"].dimensions.get(code="overall"), rag["GREEN"])],
        by=pmo,
    )
    from risks import services as risk_services
    from risks.models import Register, RiskScheme

    scheme = RiskScheme.objects.get(is_current=True)
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    risk_a = risk_services.risk_raise(
        register=register,
        title="Risk on workstream A",
        category=scheme.categories.get(code="financial"),
        scores=risk_services.Scores((3, 3), (3, 3), (1, 1)),
        workstream=portfolio["ws_a"],
        by=pmo,
        raised_on=date(2022, 4, 1),
    )
    action_a = risk_services.action_add(risk=risk_a, description="Act", due_date=date(2022, 6, 1), by=pmo)
    project_register = Register.objects.create(
        level="project", code="PA", name="Project A register", project=portfolio["project_a"]
    )
    project_risk = risk_services.risk_raise(
        register=project_register,
        title="Project-level risk",
        category=scheme.categories.get(code="legal"),
        scores=risk_services.Scores((4, 4), (4, 4), (1, 1)),
        by=pmo,
    )
    escalation_a = risk_services.escalation_propose(risk=project_risk, reason="Score 16", by=pmo)
    dependency_a = risk_services.dependency_add(
        from_project=portfolio["project_a"], to_project=portfolio["project_b"], by=pmo
    )
    from reporting import services as report_services
    from reporting.models import Board

    board = Board.objects.get(name="Audit Committee")
    draft = report_services.report_create_draft(
        board=board, programme=portfolio["programme"], meeting_date=date(2022, 6, 1), by=pmo
    )
    assurance = _assurance_records(portfolio, pmo)
    # A paper as published (its status set directly: the pages read here need no stored outputs) and a challenge
    # of it; a comment on the status update.
    from reporting.models import Report

    published = report_services.report_create_draft(
        board=board, programme=portfolio["programme"], meeting_date=date(2022, 3, 1), by=pmo
    )
    Report.objects.filter(pk=published.pk).update(
        status="published", published_by=pmo, published_at=published.created_at, snapshot={"sections": []}
    )
    published.refresh_from_db()
    challenge = report_services.challenge_record(
        report=published, raised_by="Cllr A Member", minute_reference="AC 22/10", question="Why Amber?", by=pmo
    )
    from changeprog import comments

    comment = comments.comment_add(target=update, body="Is the date still right?", by=users["viewer"])
    from workstreams.models import ImportBatch

    batch = ImportBatch.objects.create(file_name="tracker.xlsx", checksum="0" * 64, imported_by=pmo)
    from workstreams.models import ImportJob

    import_job = ImportJob.objects.create(file_name="tracker.xlsx", content=b"", requested_by=pmo, status="done")
    portfolio_paper = report_services.portfolio_paper_publish(portfolio=portfolio["portfolio"], by=pmo)
    from workstreams.models import Milestone

    milestone_a = services.milestone_save(
        Milestone(project=portfolio["project_a"], name="Go live", baseline_date=date(2030, 1, 1)), by=pmo, reason="Plan"
    )
    return {
        **users,
        "portfolio_paper": portfolio_paper,
        "milestone_a": milestone_a,
        "batch": batch,
        "import_job": import_job,
        **portfolio,
        **assurance,
        "update_a": update,
        "register": register,
        "risk_a": risk_a,
        "action_a": action_a,
        "escalation_a": escalation_a,
        "dependency_a": dependency_a,
        "board": board,
        "draft": draft,
        "published": published,
        "challenge": challenge,
        "comment": comment,
    }


def _assurance_records(portfolio, pmo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assurance import services as assurance_services
    from assurance.models import Benefit, Decision, Driver, EmbeddingAction

    driver = assurance_services.driver_save(
        driver=Driver(kind="recommendation", title="Improve missing-person reviews", source="HMICFRS PEEL"),
        by=pmo,
        reason="From the inspection",
    )
    link = assurance_services.driver_link(driver=driver, item=portfolio["ws_a"], by=pmo, reason="Answers it")
    evidence = assurance_services.evidence_add(
        driver=driver,
        summary="Closure report",
        provided_on=date(2022, 5, 31),
        upload=SimpleUploadedFile("closure.pdf", b"%PDF-1.4 closure", content_type="application/pdf"),
        by=pmo,
    )
    case = assurance_services.case_create(
        programme=portfolio["programme"], title="Programme Business Case", by=pmo, reason="Drafted"
    )
    save = assurance_services.item_record_save
    benefit = save(
        record=Benefit(
            title="Hours released",
            kind="hours",
            unit="hours",
            owner_name="Head of Control Room",
            baseline=0,
            baseline_on=date(2022, 4, 1),
            target=1000,
            target_on=date(2023, 3, 31),
        ),
        item=portfolio["ws_a"],
        by=pmo,
        reason="Planned",
    )
    embedding = save(
        record=EmbeddingAction(description="Embed the new triage", owner_name="Control Room", due_on=date(2022, 9, 30)),
        item=portfolio["ws_a"],
        by=pmo,
        reason="Handover",
    )
    decision = save(record=Decision(programme=portfolio["programme"], title="Approve the case"), by=pmo, reason="Asked")
    return {
        "driver": driver,
        "link": link,
        "evidence": evidence,
        "case": case,
        "benefit": benefit,
        "embedding": embedding,
        "decision": decision,
    }


def world_fixture():
    """A module-scoped `world` fixture: the world is built once and rolled back when the module ends. Uploaded
    evidence goes to one folder for the module (the module also overrides `evidence_store` to keep it)."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory):
        from django.test import override_settings

        root = tmp_path_factory.mktemp("world-evidence")
        with django_db_blocker.unblock(), override_settings(EVIDENCE_ROOT=root), transaction.atomic():
            built = build_world()
            built["evidence_root"] = root
            yield built
            transaction.set_rollback(True)

    return world
