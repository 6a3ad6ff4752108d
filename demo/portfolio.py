"""The demonstration programme: Cleveland Police's T2025 Service Improvement Programme, as the Chief
Constable's report to the Audit Committee of June 2022 tells it.

Every reason, narrative and closure note below is a sentence of that report. Where the report is silent a
field stays empty: nothing here is invented except what the report leaves undated, and those dates are named
in the constants below with the reason for each.

The history is dated: the programme as agreed in August 2021, the status reported to the Force Change Board
on 14 April 2022, the review that closed two workstreams and opened the revised programme, and the status as
reported to the committee in June 2022. "As at" views therefore show the movement between the two reports.
"""

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER
from workstreams import services
from workstreams.models import Lifecycle, Programme, StatusDimension, StatusLevel, StatusScale
from workstreams.services import RatingInput

PROGRAMME_CODE = "T2025"

# The report says the programme was agreed in August 2021; the day is not given, so the first of the month.
PROGRAMME_AGREED = date(2021, 8, 1)
# "The latest progress report was submitted at the Force Change Board on 14th April" (4.1).
CHANGE_BOARD = date(2022, 4, 14)
# The review "has recently closed two out of the five workstreams" (4.3) by the time of the June paper; the
# day is not given, so the last day before June.
PROGRAMME_REVIEW = date(2022, 5, 31)
# The committee paper is dated June 2022; the day is not given, so the first of the month.
COMMITTEE_REPORT = date(2022, 6, 1)
# Planned closures the report names: IOM "at the end of June" (5.5), the FCR project "by the end of July" (4.9).
IOM_CLOSURE = date(2022, 6, 30)
FCR_PROJECT_CLOSURE = date(2022, 7, 31)
# "planned for completion by June 2022" (5.2) and "planned for completion at the end of September" (5.12).
FCR_COMPLETION = date(2022, 6, 30)
RESOURCE_DESIGN_COMPLETION = date(2022, 9, 30)
# "Implementation of the reviews was planned for 2022/23" (5.10): the end of that financial year.
REVIEWS_IMPLEMENTATION = date(2023, 3, 31)

# The story in order; `load_demo(until=...)` stops after one, e.g. to rehearse the review in the browser.
STAGES = ("agreed", "april", "review", "june")

# The workstreams as the report names them, before and after the review (3.2, 4.10).
ORIGINAL_WORKSTREAMS = [
    "Force Control Room",
    "Integrated Offender Management",
    "Vulnerability (Prevention/Engagement & Missing)",
    "Resource Management",
    "Raising Investigation Standards",
]
REVISED_WORKSTREAMS = [
    "Public Contact & Engagement",
    "Enabling Services",
    "National Development",
    "Frontline Knowledge Skills & Practice",
    "Digital Services",
]

DEMO_USERS = [
    # username, first name, last name, group, superuser
    ("pmo", "Programme", "Office", PROGRAMME_OFFICE, False),
    ("lead", "Workstream", "Lead", CONTRIBUTOR, False),
    ("viewer", "Chief", "Officer", VIEWER, False),
    ("admin", "System", "Administrator", None, True),
]

# --- The report's words -------------------------------------------------------------------------------------

PROGRAMME_DESCRIPTION = (
    "A single overarching programme to cover all major change activity across the force which continues and "
    "develops through the force strategic planning process."
)
PROGRAMME_RED_APRIL = (
    "The latest progress report was submitted at the Force Change Board on 14th April and is currently reporting "
    "Red as a status due to issues that required wider support/senior direction."
)
RISK_FUNDING_RED = (
    "Overall, the categories of Risk and Funding continue to report ‘Red’ status mainly due to the scale of "
    "change required against affordability specifically on resourcing the change. This has been highlighted "
    "following ongoing review of the programme and new change requirements highlighted through the Force "
    "planning process."
)
PROGRAMME_RED_JUNE = (
    "The Force Change programme is currently at Red status and being developed into an overall business case "
    "for Executive approval in July. Resourcing the programme and embedding new practice continue to be the "
    "main issues to be addressed from the areas delivered to date."
)
PROGRAMME_PROGRESS_JUNE = (
    "The ongoing review of the programme has recently closed two out of the five workstreams, these being "
    "Vulnerability and Raising Investigations Standards. In addition, the IOM Workstream is also planned to "
    "close at the end of June. Further detail on these workstreams will be provided later in the report but "
    "essentially the change aspects have been delivered and the force must now focus on driving and embedding "
    "new practice. This continues to be a challenge with the influx of an inexperienced workforce, the capacity "
    "and capability to support this and increases in operational demand."
)
PROGRAMME_NEXT_JUNE = (
    "The workstreams are now in the process of being scoped and will be presented as a collective Programme "
    "Business Case during July for Executive approval. This work includes scope, high level timescales, "
    "benefits and funding requirements."
)
REVIEW_REASON = (
    "Once ranked the dependencies across the projects have been assessed and then grouped into workstreams to "
    "develop the programme into the next stage. This assessment included lessons learnt from the previous "
    "programme stage where some of the workstreams were overlapping and business areas were sometimes being "
    "asked to work with more than one workstream."
)

FCR_AMBER = (
    "The workstream is currently reporting Amber status due to slippage in implementing the technology "
    "requirements. This is due to competing demands within the IT team where high risk work for the wider force "
    "has necessitated a higher priority."
)
FCR_REPLAN = "The timescales have therefore been readjusted and is planned for completion by June 2022."
FCR_NEXT = "Future development of FCR technology is now planned into the Public Contact & Engagement Programme."
FCR_PROJECT_AMBER = (
    "Amber/FCR Project has been impacted by capacity in IT to deliver all the technology stabilisation but is "
    "still planned for closure by the end of July"
)
IOM_AMBER = "The workstream is currently reporting Amber status and is planned for closure at the end of June."
IOM_EMBEDDING = (
    "The embedding of the Cambridge Harm Index and tasking for offender management will be progressed through "
    "the Force Integrated Offender Management Working Group chaired by Head of CID"
)
IOM_VRU = (
    "Since the last reporting period the PCC has also been successful in receiving funding to support the "
    "development of a Violence Reduction Unit. Whilst this will not be sufficient to address the full police "
    "requirements previously identified within the Special Grant bid it will start to provide options as to how "
    "offending can be managed or prevented more effectively in this area."
)
CLOSED_WITH_EVIDENCE = (
    "The workstream is closed with all required 2021/22 deliverables being completed and evidence provided to "
    "support the relevant HMICFRS recommendations for review as part of the ongoing PEEL inspection."
)
VULNERABILITY_REVIEWS = (
    "The reviews completed by the workstream for technology exploitation such as SOLH, Social Media and the use "
    "of Consumer Insights will be moved into the Public Contact & Engagement workstream due to the linkages with "
    "FCR technology development and resourcing of demand that exploitation will incur. Implementation of the "
    "reviews was planned for 2022/23 therefore this development is still on track through a different workstream."
)
RM_RED = (
    "The workstream continues to report Red status due to the lack of capacity within IT and HR to support the "
    "developments."
)
RM_DESIGN = "Business design work still progresses and is planned for completion at the end of September."
RM_PROGRESS = (
    "So far this has consisted of the completion of As Is process maps and data requirements that are now being "
    "developed into To Be processes – this will provide a list of business requirements to then progress and "
    "assess against technology options."
)
RM_ISSUES = (
    "It is expected that some of these will be larger scale and need investment and potential transfer of "
    "responsibilities across teams to make processes more efficient."
)
RM_NEXT = (
    "The workstream will continue into the next programme but will also bring together the wider approach to "
    "Enabling Services Reform subject to the resource requirements being funded as part of the Programme "
    "Business Case that will be submitted to the Executive in July."
)
RM_PROJECT_RED = (
    "Red/Resource Management has been impacted through lack of project, HR and IT resourcing, as a result some "
    "progress has been made but the work still requires continuation"
)
RIS_FUTURE = (
    "As part of the workstream closure future change requirements were prioritised to focus predominantly on "
    "embedding the changes and developing new practice. As a result, the Frontline Knowledge Skills & Practice "
    "workstream will focus predominantly on coaching frontline teams and continue to support this work."
)
GREY_CLOSED = (
    "Essentially the change aspects have been delivered and the force must now focus on driving and embedding "
    "new practice."
)

PCE_DESCRIPTION = (
    "Change delivered within the FCR project and reviews conducted within the Vulnerability workstream lead to "
    "the next stage of development focusing on exploiting technology and opening wider channels for public "
    "contact & engagement. This also addresses the overlap from the previous workstreams and keeps all contact "
    "based development together"
)
ENABLING_DESCRIPTION = (
    "The Enabling Services scope brought together all change either in progress or identified within the "
    "planning process. Discussions are now in progress to reduce/rationalise the scope and agree a resourcing "
    "approach."
)
NATIONAL_DESCRIPTION = (
    "National development has been brought together as timescales can change on a regular basis and there is "
    "opportunity for funding to resource this work. The resourcing approach would therefore seek to maximise "
    "resource across all national work rather than just one project"
)
FKSP_DESCRIPTION = (
    "The constraints of the force being able to embed change and support the inexperience within the frontline "
    "has been acknowledged to provide coaching to frontline teams whilst the L&D project matures during the next "
    "financial year"
)
DIGITAL_DESCRIPTION = (
    "The implementation of the Digital Services Division has started to provide expertise to develop and exploit "
    "existing systems plus develop and implement the governance for digital development. To do this in addition "
    "to taking on the scale of new change requires support to ensure that roadmaps and future development "
    "compliments the requirements of the programme and wider IT priorities"
)


def at(day: date) -> datetime:
    """A history timestamp for something that happened on `day` (09:00 UK time)."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def ensure_demo_users(password: str) -> dict:
    """The demo logins. Existing users are left as they are, so a second run changes nothing."""
    User = get_user_model()
    users = {}
    for username, first, last, group_name, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": superuser,
                "is_superuser": superuser,
                "email": f"{username}@example.invalid",
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


class _Demo:
    def __init__(self, users):
        self.pmo = users["pmo"]
        self.lead = users["lead"]
        self.rag = {lv.code: lv for lv in StatusLevel.objects.filter(scale__code="rag")}
        self.delivery = {lv.code: lv for lv in StatusLevel.objects.filter(scale__code="delivery")}

    def build(self, until: str = "june") -> Programme:
        """Build the story up to and including the stage `until` (one of STAGES)."""
        for stage, step in zip(
            STAGES,
            (self._agree_programme, self._change_board_april, self._programme_review, self._committee_june),
            strict=True,
        ):
            step()
            if stage == until:
                break
        return self.programme

    # August 2021 -------------------------------------------------------------------------------------------
    def _agree_programme(self):
        when = at(PROGRAMME_AGREED)
        reason = "Programme agreed in August 2021"
        self.programme = services.programme_create(
            code=PROGRAMME_CODE,
            name="Service Improvement Programme",
            organisation="Cleveland Police",
            description=PROGRAMME_DESCRIPTION,
            manager=self.pmo,
            start_date=PROGRAMME_AGREED,
            by=self.pmo,
            reason=reason,
            when=when,
        )
        self._configure_dimensions(when)
        ws = {}
        keys = ("fcr", "iom", "vul", "rm", "ris")
        for order, (key, name) in enumerate(zip(keys, ORIGINAL_WORKSTREAMS, strict=True), start=1):
            lead = self.lead if key == "fcr" else None
            ws[key] = services.workstream_create(
                programme=self.programme,
                name=name,
                lead=lead,
                order=order,
                start_date=PROGRAMME_AGREED,
                by=self.pmo,
                reason=reason,
                when=when,
            )
        self.ws = ws
        self.projects = {}
        for key, workstream, name, extra in [
            ("fcr_tech", "fcr", "FCR technology stabilisation", {"manager": self.lead}),
            ("chi", "iom", "Cambridge Harm Index and tasking for offender management", {}),
            ("civil_orders", "iom", "Training and guidance for the use of Civil Orders", {}),
            (
                "solh",
                "vul",
                "SOLH technology exploitation review",
                {"baseline_end_date": REVIEWS_IMPLEMENTATION},
            ),
            (
                "social",
                "vul",
                "Social Media technology exploitation review",
                {"baseline_end_date": REVIEWS_IMPLEMENTATION},
            ),
            (
                "insights",
                "vul",
                "Use of Consumer Insights review",
                {"baseline_end_date": REVIEWS_IMPLEMENTATION},
            ),
            ("rm_design", "rm", "Resource Management business design", {}),
        ]:
            self.projects[key] = services.project_create(
                workstream=ws[workstream],
                name=name,
                start_date=PROGRAMME_AGREED,
                by=self.pmo,
                reason=reason,
                when=when,
                **extra,
            )

    def _configure_dimensions(self, when):
        """The seed reports categories for the programme, RAG for workstreams and delivery states for projects."""
        reason = "Reporting dimensions for T2025: category statuses, workstream RAG and project delivery states"
        for dimension in StatusDimension.objects.filter(programme=self.programme):
            dimension.applies_to_projects = False
            dimension.applies_to_workstreams = dimension.code == "overall"
            services.status_dimension_save(dimension=dimension, by=self.pmo, reason=reason, when=when)
        self.dimensions = {d.code: d for d in StatusDimension.objects.filter(programme=self.programme)}
        self.dimensions["delivery"] = services.status_dimension_save(
            dimension=StatusDimension(
                programme=self.programme,
                code="delivery",
                name="Delivery",
                scale=StatusScale.objects.get(code="delivery"),
                order=len(self.dimensions) + 1,
                applies_to_programme=False,
                applies_to_workstreams=True,
                applies_to_projects=True,
            ),
            by=self.pmo,
            reason=reason,
            when=when,
        )

    def _rate(self, subject, day, ratings, *, by=None, **narrative):
        return services.status_update_submit(
            subject=subject,
            as_of=day,
            ratings=[RatingInput(self.dimensions[code], level, reason) for code, level, reason in ratings],
            by=by or self.pmo,
            when=at(day),
            **narrative,
        )

    # April 2022: the Force Change Board ------------------------------------------------------------------
    def _change_board_april(self):
        day = CHANGE_BOARD
        self._rate(
            self.programme,
            day,
            [
                ("overall", self.rag["RED"], PROGRAMME_RED_APRIL),
                ("risk", self.rag["RED"], RISK_FUNDING_RED),
                ("funding", self.rag["RED"], RISK_FUNDING_RED),
            ],
        )
        services.item_replan(
            item=self.ws["fcr"],
            forecast_end_date=FCR_COMPLETION,
            by=self.lead,
            reason=FCR_REPLAN,
            when=at(day),
        )
        self._rate(
            self.ws["fcr"],
            day,
            [("overall", self.rag["AMBER"], "")],
            by=self.lead,
            reason=FCR_AMBER,
            next_steps=FCR_REPLAN,
        )
        self._rate(
            self.projects["fcr_tech"],
            day,
            [("delivery", self.delivery["AMBER"], FCR_PROJECT_AMBER)],
            by=self.lead,
        )
        self._rate(self.ws["iom"], day, [("overall", self.rag["AMBER"], "")], reason=IOM_AMBER)
        self._rate(self.ws["rm"], day, [("overall", self.rag["RED"], "")], reason=RM_RED)
        self._rate(self.projects["rm_design"], day, [("delivery", self.delivery["RED"], RM_PROJECT_RED)])

    # May 2022: the review that produced the revised programme ------------------------------------------
    def _programme_review(self):
        when = at(PROGRAMME_REVIEW)
        details = [
            ("pce", PCE_DESCRIPTION, False),
            ("enabling", ENABLING_DESCRIPTION, False),
            ("national", NATIONAL_DESCRIPTION, True),
            ("fksp", FKSP_DESCRIPTION, False),
            ("digital", DIGITAL_DESCRIPTION, False),
        ]
        revised = [
            (key, name, text, national)
            for (key, text, national), name in zip(details, REVISED_WORKSTREAMS, strict=True)
        ]
        index = {key: i for i, (key, *_) in enumerate(revised)}
        self.review = services.programme_review(
            programme=self.programme,
            held_on=PROGRAMME_REVIEW,
            reason=REVIEW_REASON,
            by=self.pmo,
            # Being scoped for the Programme Business Case in July (4.11), so proposed rather than active.
            open=[
                services.NewWorkstream(name=name, description=description, national=national)
                for _, name, description, national in revised
            ],
            moves=[(self.projects[key], index["pce"]) for key in ("solh", "social", "insights")]
            + [(self.projects["civil_orders"], index["fksp"])],
            close=[
                services.Closure(
                    self.ws["vul"],
                    f"{CLOSED_WITH_EVIDENCE}\n\n{VULNERABILITY_REVIEWS}",
                    "Public Contact & Engagement workstream (technology exploitation reviews)",
                ),
                services.Closure(
                    self.ws["ris"],
                    f"{CLOSED_WITH_EVIDENCE}\n\n{RIS_FUTURE}",
                    "Frontline Knowledge Skills & Practice workstream",
                ),
            ],
            when=when,
        )
        new = {key: self.programme.workstreams.get(name=name) for key, name, *_ in revised}
        self.ws.update(new)
        for key, workstream, name in [
            ("fcr_future", "pce", "Future development of FCR technology"),
            ("coaching", "fksp", "Coaching for frontline teams"),
            ("digital_division", "digital", "Digital Services Division implementation"),
        ]:
            self.projects[key] = services.project_create(
                workstream=new[workstream],
                name=name,
                lifecycle=Lifecycle.PROPOSED,
                start_date=PROGRAMME_REVIEW,
                by=self.pmo,
                reason=REVIEW_REASON,
                when=when,
            )
        services.item_set_lifecycle(
            item=self.ws["iom"],
            lifecycle=Lifecycle.CLOSING,
            planned_closure_date=IOM_CLOSURE,
            by=self.pmo,
            reason=IOM_AMBER,
            when=when,
        )
        services.item_set_lifecycle(
            item=self.projects["chi"],
            lifecycle=Lifecycle.CLOSING,
            planned_closure_date=IOM_CLOSURE,
            embedding_owner="Force Integrated Offender Management Working Group chaired by Head of CID",
            by=self.pmo,
            reason=IOM_EMBEDDING,
            when=when,
        )
        services.item_set_lifecycle(
            item=self.projects["fcr_tech"],
            lifecycle=Lifecycle.CLOSING,
            planned_closure_date=FCR_PROJECT_CLOSURE,
            by=self.lead,
            reason=FCR_PROJECT_AMBER,
            when=when,
        )

    # June 2022: the Audit Committee paper --------------------------------------------------------------
    def _committee_june(self):
        day = COMMITTEE_REPORT
        self._rate(
            self.programme,
            day,
            [
                # The paper still cites the Change Board's report of 14 April as the latest (4.1).
                ("overall", self.rag["RED"], PROGRAMME_RED_APRIL),
                ("risk", self.rag["RED"], RISK_FUNDING_RED),
                ("funding", self.rag["RED"], RISK_FUNDING_RED),
            ],
            reason=PROGRAMME_RED_JUNE,
            progress=PROGRAMME_PROGRESS_JUNE,
            next_steps=PROGRAMME_NEXT_JUNE,
        )
        self._rate(
            self.ws["fcr"],
            day,
            [("overall", self.rag["AMBER"], "")],
            by=self.lead,
            reason=f"{FCR_AMBER} {FCR_REPLAN}",
            next_steps=FCR_NEXT,
        )
        self._rate(
            self.projects["fcr_tech"],
            day,
            [("delivery", self.delivery["AMBER"], FCR_PROJECT_AMBER)],
            by=self.lead,
        )
        self._rate(
            self.ws["iom"],
            day,
            [("overall", self.rag["AMBER"], "")],
            reason=IOM_AMBER,
            # How the changes will be embedded (5.6) is drawn from the projects: the Cambridge Harm Index's
            # embedding owner, and Civil Orders moved to Frontline Knowledge Skills & Practice by the review.
            progress=IOM_VRU,
        )
        self._rate(self.projects["chi"], day, [("delivery", self.delivery["GREY"], IOM_EMBEDDING)])
        for key in ("vul", "ris"):
            self._rate(
                self.ws[key],
                day,
                [("delivery", self.delivery["GREY"], GREY_CLOSED)],
                reason=CLOSED_WITH_EVIDENCE,
            )
        services.item_replan(
            item=self.ws["rm"],
            forecast_end_date=RESOURCE_DESIGN_COMPLETION,
            by=self.pmo,
            reason=RM_DESIGN,
            when=at(day),
        )
        self._rate(
            self.ws["rm"],
            day,
            [("overall", self.rag["RED"], "")],
            reason=f"{RM_RED} {RM_DESIGN}",
            progress=f"{RM_PROGRESS} {RM_ISSUES}",
            next_steps=RM_NEXT,
        )
        services.item_replan(
            item=self.projects["rm_design"],
            forecast_end_date=RESOURCE_DESIGN_COMPLETION,
            by=self.pmo,
            reason=RM_DESIGN,
            when=at(day),
        )
        self._rate(self.projects["rm_design"], day, [("delivery", self.delivery["RED"], RM_PROJECT_RED)])


def load_demo(*, password: str, until: str = "june") -> tuple[Programme, bool]:
    """Load the demo programme once. Returns (programme, created); a second call changes nothing."""
    if until not in STAGES:
        raise ValueError(f"until must be one of {', '.join(STAGES)}")
    with transaction.atomic():
        users = ensure_demo_users(password)
        existing = Programme.objects.filter(code=PROGRAMME_CODE).first()
        if existing:
            return existing, False
        return _Demo(users).build(until), True
