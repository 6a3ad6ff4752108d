"""The demonstration's assurance records, from the June 2022 Audit Committee paper: the HMICFRS
recommendations the closed workstreams evidenced, the Police and Crime Plan and the Causes of Concern the
revised programme considered, the Programme Business Case being prepared for the July Executive, the embedding
owners the paper names, and the Violence Reduction Unit funding.

The paper gives no reference numbers, amounts or benefit measures, so none are invented: drivers have no
reference, the business case has no funding lines yet, and there are no benefits.
"""

from datetime import date

from assurance import services
from assurance.models import BusinessCase, Decision, DecisionStatus, Driver, DriverKind, EmbeddingAction
from demo.portfolio import (
    CHANGE_BOARD,
    CLOSED_WITH_EVIDENCE,
    COMMITTEE_REPORT,
    IOM_CLOSURE,
    IOM_VRU,
    PROGRAMME_NEXT_JUNE,
    PROGRAMME_REVIEW,
    REVISED_WORKSTREAMS,
    RIS_FUTURE,
    at,
)
from reporting.models import Board
from workstreams.models import Project

PEEL = "HMICFRS PEEL inspection"
# "whilst the L&D project matures during the next financial year" (4.10): coaching runs to the end of 2022/23.
COACHING_UNTIL = date(2023, 3, 31)
# The Programme Business Case goes to the Executive "during July" (4.11): needed by the end of July.
EXECUTIVE_JULY = date(2022, 7, 31)


def load_assurance_demo(programme, users) -> bool:
    if BusinessCase.objects.filter(programme=programme).exists():
        return False
    pmo = users["pmo"]
    ws = {w.name: w for w in programme.workstreams.all()}
    projects = {p.name: p for p in Project.objects.filter(workstream__programme=programme)}
    agreed = at(programme.start_date)

    # Drivers: what the closed workstreams evidenced (5.9, 5.16), and what the revised programme considered (4.10).
    for title, workstream in [
        (
            "Relevant HMICFRS recommendations on vulnerability: prevention, engagement and missing people",
            "Vulnerability (Prevention/Engagement & Missing)",
        ),
        ("Relevant HMICFRS recommendations on investigation standards", "Raising Investigation Standards"),
    ]:
        driver = services.driver_save(
            driver=Driver(kind=DriverKind.RECOMMENDATION, title=title, source=PEEL),
            by=pmo,
            reason="The recommendations the workstream answers (5.9, 5.16)",
            when=agreed,
        )
        services.driver_link(
            driver=driver, item=ws[workstream], by=pmo, reason="Agreed with the programme", when=agreed
        )
        # "evidence provided to support the relevant HMICFRS recommendations for review as part of the ongoing
        # PEEL inspection": provided for the inspectorate's review, so not yet accepted.
        services.evidence_add(
            driver=driver,
            summary=CLOSED_WITH_EVIDENCE,
            provided_on=PROGRAMME_REVIEW,
            by=pmo,
            reason="Evidence provided at closure",
            when=at(PROGRAMME_REVIEW),
        )
    for kind, title, source in [
        (DriverKind.PLAN_PRIORITY, "The PCC's 10-point Police and Crime Plan", "Police and Crime Plan"),
        (DriverKind.CAUSE_OF_CONCERN, "The remaining development required for the Causes of Concern", "HMICFRS"),
    ]:
        services.driver_save(
            driver=Driver(kind=kind, title=title, source=source),
            by=pmo,
            reason="Considered in developing the revised programme (4.10)",
            when=at(PROGRAMME_REVIEW),
        )

    # The collective Programme Business Case, being scoped for the Executive in July (4.11, 5.14).
    services.case_create(
        programme=programme,
        title="T2025 Programme Business Case",
        by=pmo,
        reason="Scoping the revised programme for Executive approval in July (4.11)",
        workstreams=[ws[name] for name in REVISED_WORKSTREAMS],
        scope=PROGRAMME_NEXT_JUNE,
        timescales="High level timescales are being scoped for presentation to the Executive in July 2022.",
        benefits="Benefits are being scoped with the workstreams (4.11).",
        resourcing="Project, HR and IT resourcing (4.9, 5.12); resource requirements for Enabling Services Reform (5.14).",
        when=at(PROGRAMME_REVIEW),
    )

    # Embedding owners the paper names (5.6, 5.17).
    save = services.item_record_save
    save(
        record=EmbeddingAction(
            description="Embed the Cambridge Harm Index and tasking for offender management",
            owner_name="Force Integrated Offender Management Working Group chaired by Head of CID",
            due_on=IOM_CLOSURE,
        ),
        item=projects["Cambridge Harm Index and tasking for offender management"],
        by=pmo,
        reason="Embedding owner named at closure (5.6)",
        when=at(PROGRAMME_REVIEW),
    )
    save(
        record=EmbeddingAction(
            description=RIS_FUTURE, owner_name="Frontline Knowledge Skills & Practice workstream", due_on=COACHING_UNTIL
        ),
        item=ws["Raising Investigation Standards"],
        by=pmo,
        reason="Handed over at closure (5.17)",
        when=at(PROGRAMME_REVIEW),
    )

    boards = {b.name: b for b in Board.objects.all()}
    # Decisions: the April board's call for senior direction (4.1), the VRU funding (5.7), the business case (4.11).
    for record, when in [
        (
            Decision(
                programme=programme,
                title="Wider support and senior direction on the issues behind the Red status",
                detail="The latest progress report to the Force Change Board reported Red due to issues that required "
                "wider support/senior direction (4.1).",
                needed_by=CHANGE_BOARD,
                status=DecisionStatus.NEEDED,
                board=boards["Force Change Board"],
            ),
            CHANGE_BOARD,
        ),
        (
            Decision(
                programme=programme,
                title="Funding to support the development of a Violence Reduction Unit",
                detail=IOM_VRU,
                owner_name="Police and Crime Commissioner",
                status=DecisionStatus.MADE,
                decided_on=COMMITTEE_REPORT,
                outcome="Funding received by the PCC",
            ),
            COMMITTEE_REPORT,
        ),
        (
            Decision(
                programme=programme,
                title="Approve the collective Programme Business Case",
                owner_name="Chief Constable",
                needed_by=EXECUTIVE_JULY,
                status=DecisionStatus.NEEDED,
                board=boards["Executive"],
            ),
            PROGRAMME_REVIEW,
        ),
    ]:
        save(record=record, by=pmo, reason="Recorded from the paper", when=at(when))
    return True
