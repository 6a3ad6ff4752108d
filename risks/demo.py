"""The demo programme's prioritisation and risks, from the June 2022 Audit Committee paper.

The paper says every project, existing or new, was "risk assessed using the corporate risk criteria to
consider the repercussions should it not be progressed" and ranked Red, Amber or Green/Yellow (4.5, 4.6), but
it does not print the scores. The impacts below are the programme office's judgement written for the demo, each
with the report's own reasoning as its rationale, so that the ranking comes out of the method.
"""

from risks import services
from risks.models import PriorityAssessment
from risks.services import ImpactInput
from workstreams.demo import PROGRAMME_REVIEW, at
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
