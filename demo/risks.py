"""The demo programme's prioritisation and risks, from the June 2022 Audit Committee paper.

The paper says every project, existing or new, was "risk assessed using the corporate risk criteria to
consider the repercussions should it not be progressed" and ranked Red, Amber or Green/Yellow (4.5, 4.6), but
it does not print the scores. The impacts below are the programme office's judgement written for the demo, each
with the report's own reasoning as its rationale, so that the ranking comes out of the method.
"""

from datetime import date

from changeprog.governance import save_governed
from demo.portfolio import CHANGE_BOARD, COMMITTEE_REPORT, PROGRAMME_REVIEW, at
from risks import services
from risks.models import Dependency, PriorityAssessment, Risk
from risks.services import ImpactInput
from workstreams.models import Project

# project name: (likelihood, mandatory, {category: (impact, rationale)})
ASSESSMENTS = {
    "Resource Management business design": (
        4,
        False,
        {
            "operational": (4, "Lack of capacity within IT and HR to support the developments (5.12)."),
            "financial": (4, "Some of these will be larger scale and need investment (5.13)."),
            "people": (
                4,
                "Potential transfer of responsibilities across teams to make processes more efficient (5.13).",
            ),
            "information": (4, "Business requirements to assess against technology options (5.13)."),
            "reputation": (2, ""),
        },
    ),
    "Coaching for frontline teams": (
        4,
        False,
        {
            "operational": (
                5,
                "The constraints of the force being able to embed change and support the inexperience within the frontline (4.10).",
            ),
            "people": (
                4,
                "The influx of an inexperienced workforce, the capacity and capability to support this (4.3).",
            ),
            "reputation": (4, "The remaining development required for the Causes of Concern (4.10)."),
            "legal": (3, ""),
        },
    ),
    "FCR technology stabilisation": (
        3,
        False,
        {
            "operational": (5, "Capacity in IT to deliver all the technology stabilisation (4.9)."),
            "information": (4, "Slippage in implementing the technology requirements (5.2)."),
            "reputation": (3, ""),
        },
    ),
    "Digital Services Division implementation": (
        3,
        False,
        {
            "information": (
                4,
                "Expertise to develop and exploit existing systems plus develop and implement the governance for digital development (4.10).",
            ),
            "financial": (3, "Roadmaps that complement the programme and wider IT priorities (4.10)."),
        },
    ),
    "Social Media technology exploitation review": (
        3,
        False,
        {
            "reputation": (4, "Opening wider channels for public contact & engagement (4.10)."),
            "operational": (3, "Resourcing of demand that exploitation will incur (5.10)."),
        },
    ),
    "SOLH technology exploitation review": (
        3,
        False,
        {
            "operational": (3, "Resourcing of demand that exploitation will incur (5.10)."),
            "reputation": (3, "Opening wider channels for public contact & engagement (4.10)."),
            "information": (3, "Linkages with FCR technology development (5.10)."),
        },
    ),
    "Future development of FCR technology": (
        3,
        False,
        {
            "operational": (3, "Exploiting technology and opening wider channels for public contact (4.10)."),
            "information": (3, "Future development of FCR technology (5.3)."),
        },
    ),
    "Training and guidance for the use of Civil Orders": (
        2,
        False,
        {
            "legal": (4, "Training and guidance for the use of Civil Orders (5.6)."),
            "operational": (3, ""),
        },
    ),
    "Use of Consumer Insights review": (
        2,
        False,
        {
            "operational": (2, ""),
            "reputation": (3, "Opening wider channels for public contact & engagement (4.10)."),
        },
    ),
    "Cambridge Harm Index and tasking for offender management": (
        2,
        False,
        {
            "operational": (
                2,
                "To be progressed through the Force Integrated Offender Management Working Group chaired by Head of CID (5.6).",
            ),
        },
    ),
}


def load_risk_demo(programme, users) -> bool:
    """Assess the demo programme's projects once. Returns whether anything was created."""
    if PriorityAssessment.objects.filter(project__workstream__programme=programme).exists():
        return False
    scheme = services.current_scheme()
    categories = {c.code: c for c in scheme.categories.all()}
    projects = {p.name: p for p in Project.objects.filter(workstream__programme=programme)}
    for name, (likelihood, mandatory, impacts) in ASSESSMENTS.items():
        services.assessment_record(
            project=projects[name],
            scheme=scheme,
            likelihood=likelihood,
            mandatory=mandatory,
            impacts=[ImpactInput(categories[code], *impacts.get(code, (0, ""))) for code in categories],
            confidence="medium",
            assessed_on=PROGRAMME_REVIEW,
            by=users["pmo"],
            when=at(PROGRAMME_REVIEW),
        )
    return True


# --- The programme risk register (4.2, 4.3, 4.9, 5.2, 5.12, 6.1, 6.5, 7.1) -----------------------------------
# title, category, (inherent, current, target) as (likelihood, impact), cause, event, effect, workstream, actions
RISKS = [
    (
        "Scale of change against affordability",
        "financial",
        ((5, 5), (4, 5), (3, 4)),
        "The scale of change required against affordability, highlighted by the ongoing review of the programme "
        "and new change requirements from the Force planning process (4.2).",
        "There is a wider risk that the required approaches to transformation will be unaffordable (6.1).",
        "The programme cannot be delivered at the scale or pace the force needs.",
        None,
        [
            (
                "Present a collective Programme Business Case with scope, high level timescales, benefits and funding "
                "requirements for Executive approval in July (4.11).",
                date(2022, 7, 31),
            )
        ],
    ),
    (
        "Resourcing the change",
        "people",
        ((5, 4), (4, 4), (2, 4)),
        "The scale of change required, specifically on resourcing the change (4.2).",
        "Resourcing the programme continues to be a main issue to be addressed (7.1).",
        "Workstreams cannot progress at the planned pace.",
        None,
        [("Agree a resourcing approach as part of the Programme Business Case (4.10).", date(2022, 7, 31))],
    ),
    (
        "IT and HR capacity to support developments",
        "information",
        ((5, 4), (4, 4), (2, 3)),
        "Competing demands within the IT team where high risk work for the wider force has necessitated a higher "
        "priority (5.2); lack of capacity within IT and HR (5.12).",
        "Technology requirements and business design slip.",
        "Slippage in implementing the technology requirements; Resource Management reports Red (5.2, 5.12).",
        "Resource Management",
        [
            (
                "Bring the resource requirements into the Programme Business Case for the Executive in July (5.14).",
                date(2022, 7, 31),
            )
        ],
    ),
    (
        "Embedding new practice with an inexperienced workforce",
        "operational",
        ((4, 5), (4, 4), (3, 3)),
        "The influx of an inexperienced workforce, the capacity and capability to support this and increases in "
        "operational demand (4.3).",
        "Change that has been delivered is not embedded into practice.",
        "The benefits of the closed workstreams are not realised.",
        "Frontline Knowledge Skills & Practice",
        [("Provide coaching to frontline teams whilst the L&D project matures (4.10).", date(2023, 3, 31))],
    ),
    (
        "Learning & Development capacity",
        "people",
        ((4, 4), (3, 4), (2, 3)),
        "The Learning & Development Unit has required growth to support PCDA students and is undergoing a "
        "transformation project at the same time (4.9).",
        "Learning & Development cannot support the embedding of change.",
        "The ability to embed change is impacted (4.9).",
        None,
        [],
    ),
]

CORPORATE_RISK = (
    "Affordability and resourcing of force transformation",
    "financial",
    ((5, 5), (4, 5), (3, 4)),
    "The risks associated with the programme are linked with the Force's overarching Corporate Risk Management "
    "Processes (6.5).",
)


def load_register_demo(programme, users) -> bool:
    """The programme's risk register, with actions, reviews and a link to the corporate register. Once."""
    if Risk.objects.filter(register__programme=programme).exists():
        return False
    pmo, admin = users["pmo"], users["admin"]
    raised, reviewed = at(CHANGE_BOARD), at(COMMITTEE_REPORT)
    scheme = services.current_scheme()
    categories = {c.code: c for c in scheme.categories.all()}
    workstreams = {w.name: w for w in programme.workstreams.all()}
    register = services.programme_register(programme, by=pmo)
    corporate = services.corporate_register()
    if corporate.owner_id is None:
        corporate.owner = admin
        save_governed(corporate, by=admin, reason="Corporate register owner", when=raised)
    title, category, scores, cause = CORPORATE_RISK
    corporate_risk = services.risk_raise(
        register=corporate,
        title=title,
        category=categories[category],
        scores=services.Scores(*scores),
        cause=cause,
        owner=admin,
        by=admin,
        raised_on=CHANGE_BOARD,
        when=raised,
    )
    raised_risks = []
    for title, category, scores, cause, event, effect, workstream, actions in RISKS:
        risk = services.risk_raise(
            register=register,
            title=title,
            category=categories[category],
            scores=services.Scores(*scores),
            cause=cause,
            event=event,
            effect=effect,
            owner=pmo,
            workstream=workstreams.get(workstream),
            by=pmo,
            raised_on=CHANGE_BOARD,
            when=raised,
        )
        for description, due in actions:
            services.action_add(risk=risk, description=description, due_date=due, owner=pmo, by=pmo, when=raised)
        services.risk_review(
            risk=risk,
            reviewed_on=COMMITTEE_REPORT,
            current_likelihood=risk.current_likelihood,
            current_impact=risk.current_impact,
            by=pmo,
            reason="Reviewed for the June 2022 Audit Committee: Risk and Funding continue to report Red (4.2).",
            when=reviewed,
        )
        raised_risks.append(risk)
    escalation = services.escalation_propose(
        risk=raised_risks[0],
        reason="Linkages have been made with the Force's overarching Corporate Risk Management Processes (6.5).",
        by=pmo,
        when=raised,
    )
    services.escalation_accept(
        escalation=escalation,
        by=admin,
        decision_reason="Held on the corporate register as part of force transformation affordability.",
        link_to=corporate_risk,
        when=raised,
    )
    return True


# --- Dependencies the report describes (4.7, 4.10, 5.10, 5.14) --------------------------------------------------
# from project, to project or (external name, kind), kind, description
DEPENDENCIES = [
    (
        "SOLH technology exploitation review",
        "Future development of FCR technology",
        "technical",
        "Linkages with FCR technology development (5.10).",
    ),
    (
        "Social Media technology exploitation review",
        "Future development of FCR technology",
        "technical",
        "Linkages with FCR technology development (5.10).",
    ),
    (
        "Use of Consumer Insights review",
        "Future development of FCR technology",
        "technical",
        "Linkages with FCR technology development (5.10).",
    ),
    (
        "Future development of FCR technology",
        "Digital Services Division implementation",
        "technical",
        "Roadmaps and future development to complement the requirements of the programme and wider IT priorities (4.10).",
    ),
    (
        "Coaching for frontline teams",
        ("Learning & Development Unit transformation project", "other"),
        "resource",
        "Coaching frontline teams whilst the L&D project matures during the next financial year (4.10).",
    ),
    (
        "Resource Management business design",
        ("Programme Business Case: Executive approval", "other"),
        "funding",
        "Subject to the resource requirements being funded as part of the Programme Business Case submitted in July (5.14).",
    ),
    (
        "FCR technology stabilisation",
        "Resource Management business design",
        "resource",
        "Both depend on the same constrained IT capacity (5.2, 5.12).",
    ),
]


def load_dependency_demo(programme, users) -> bool:
    if Dependency.objects.filter(from_project__workstream__programme=programme).exists():
        return False
    projects = {p.name: p for p in Project.objects.filter(workstream__programme=programme).select_related("workstream")}
    for source, target, kind, description in DEPENDENCIES:
        external = isinstance(target, tuple)
        services.dependency_add(
            from_project=projects[source],
            to_project=None if external else projects[target],
            external_name=target[0] if external else "",
            external_kind=target[1] if external else "",
            kind=kind,
            description=description,
            owner=users["pmo"],
            needed_by=date(2022, 7, 31) if kind == "funding" else None,
            by=users["pmo"],
            reason="Dependencies across the projects assessed (4.7)",
            when=at(PROGRAMME_REVIEW),
        )
    return True
