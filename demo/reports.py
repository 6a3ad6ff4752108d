"""The demonstration reports: the highlight report to the Force Change Board of 14 April 2022, and the Chief
Constable's paper to the Audit Committee of June 2022 with the office's words as the seed report has them.

Generated sections (status, workstream updates, the two pictures, next steps) are drawn from the demo data;
only the sections the programme office writes hold the report's text. Both are published, so the board pages
show who published what when, and the June paper can be compared with the seed paragraph by paragraph.
"""

from demo.portfolio import CHANGE_BOARD, COMMITTEE_REPORT, PROGRAMME_RED_JUNE, at
from reporting import quality, services
from reporting.models import Board, Report

PURPOSE = (
    "The purpose of the report is to update members on the progress of the Cleveland Police Service "
    "Improvement Programme."
)
RECOMMENDATIONS = "It is recommended that members note the contents of the report."
BACKGROUND = """Since the last report to the Audit Committee progress has been made on all workstreams within the \
T2025 programme, previously agreed last year. This providing a single overarching programme to cover all major \
change activity across the force which continues and develops through the force strategic planning process.

The table below confirms the programme that was agreed in August 2021, this report will cover progress being \
made how the programme has been reviewed the most recent annual strategic planning cycle."""
REVIEW = """The Force planning process highlighted a number of wider or new projects that had previously not been \
fully resourced or prioritised.

Each of the projects whether existing or new have been risk assessed using the corporate risk criteria to \
consider the repercussions should it not be progressed with a view of reducing the scale of change and/or the \
pace for change to be implemented.

As all changes have merit and purpose the process has enabled a ranking to be summarised as follows:
· Red Risk projects are those that if not progressed could result in significant implications across most or \
all the corporate risk categories. These must be progressed as a priority to reduce the likelihood of the risks \
occurring
· Amber Risk projects whilst still being important pose less of a threat and likelihood of impact across the \
corporate risk categories. On this basis there are more opportunities to tolerate these not being progressed in \
the immediate term although there is recognition that these could become Red should any of the factors change
· Green/Yellow Risk projects identify opportunities to manage the changes through business units unless any of \
the factors or timescales change in terms of risk or impact, this is a possibility especially for those that \
are being delivered through national projects.

Once ranked the dependencies across the projects have been assessed and then grouped into workstreams to \
develop the programme into the next stage. This assessment included lessons learnt from the previous programme \
stage where some of the workstreams were overlapping and business areas were sometimes being asked to work \
with more than one workstream. Therefore, the next stage seeks to address this issue.

To demonstrate how the programme has evolved the below pictures provide the programme status prior to the \
review and after."""
NOTES = """The following should be noted:
· Green projects have delivered a range of change requirements, the remaining areas (yellow) mainly focus on \
embedding these changes and developing skills and practice. The ability to embed change this has been impacted \
by increases in operational demand and capacity within the Learning & Development Unit who have required \
growth to support PCDA students and are undergoing a transformation project at the same time
· Amber/FCR Project has been impacted by capacity in IT to deliver all the technology stabilisation but is \
still planned for closure by the end of July
· Red/Resource Management has been impacted through lack of project, HR and IT resourcing, as a result some \
progress has been made but the work still requires continuation
· Grey items are considered complete from a change perspective but some still require embedding by the \
business areas
· Purple items have been deprioritised"""
RATIONALE = """The rationale for the developments include:
· Change delivered within the FCR project and reviews conducted within the Vulnerability workstream lead to the \
next stage of development focusing on exploiting technology and opening wider channels for public contact & \
engagement. This also addresses the overlap from the previous workstreams and keeps all contact based \
development together
· The Enabling Services scope brought together all change either in progress or identified within the planning \
process. Discussions are now in progress to reduce/rationalise the scope and agree a resourcing approach.
· National development has been brought together as timescales can change on a regular basis and there is \
opportunity for funding to resource this work. The resourcing approach would therefore seek to maximise \
resource across all national work rather than just one project
· The constraints of the force being able to embed change and support the inexperience within the frontline \
has been acknowledged to provide coaching to frontline teams whilst the L&D project matures during the next \
financial year
· The implementation of the Digital Services Division has started to provide expertise to develop and exploit \
existing systems plus develop and implement the governance for digital development. To do this in addition to \
taking on the scale of new change requires support to ensure that roadmaps and future development compliments \
the requirements of the programme and wider IT priorities
· Consideration has been made to the PCC 10-point Police and Crime Plan and the remaining development required \
for the Causes of Concern"""
IMPLICATIONS = """All identified budget requirements for the workstreams are in progress, there is a wider risk \
that the required approaches to transformation will be unaffordable already covered within the report.

There are no diversity or equal opportunity implications arising from the content of this report. The \
Equality, Diversity and Inclusion Team continue to support the Service Improvement Programme in all aspects of \
their work.

There are no Human Rights Act implications arising from the content of this report.

There are no sustainability implications arising from this report.

The risks associated with the programme are outlined in detail within the bespoke risk register. Linkages have \
been made with the Force’s overarching Corporate Risk Management Processes to ensure all relevant actions are \
being regularly reviewed, mitigated or ameliorated."""
CONCLUSIONS = f"""{PROGRAMME_RED_JUNE}

The programme has been reviewed and developed into the next stage and has been subject to an assessment of \
risk, dependencies and timescales."""

# Section heading (as the template names it) → the office's words.
JUNE_WORDS = {
    "Purpose": PURPOSE,
    "Recommendations": RECOMMENDATIONS,
    "Background": BACKGROUND,
    "Programme Status (continued): review and prioritisation": REVIEW,
    "Programme Status (continued): notes on the picture": NOTES,
    "Programme Status (continued): rationale": RATIONALE,
    "Implications": IMPLICATIONS,
    "Conclusions": CONCLUSIONS,
}


def _write_and_publish(report: Report, words: dict, pmo, day) -> Report:
    for section in report.sections.all():
        if section.heading in words:
            services.report_section_update(section=section, text=words[section.heading], by=pmo, when=at(day))
    # The office read the data-quality findings and published regardless, as the seed's paper was.
    acknowledged = [finding.code for finding in quality.findings(report)]
    return services.report_publish(report=report, by=pmo, acknowledged=acknowledged, when=at(day))


def load_report_demo(programme, users) -> bool:
    """Publish the demo's two reports once. Returns whether anything was created."""
    if Report.objects.filter(programme=programme).exists():
        return False
    pmo = users["pmo"]
    april = services.report_create_draft(
        board=Board.objects.get(name="Force Change Board"),
        programme=programme,
        meeting_date=CHANGE_BOARD,
        title="T2025 highlight report",
        by=pmo,
        when=at(CHANGE_BOARD),
    )
    # The seed does not say what the April report asked of the board, so its narrative sections stay empty.
    _write_and_publish(april, {}, pmo, CHANGE_BOARD)
    june = services.report_create_draft(
        board=Board.objects.get(name="Audit Committee"),
        programme=programme,
        meeting_date=COMMITTEE_REPORT,
        # The paper measures progress from the Change Board's report of 14 April (4.1, 4.8).
        comparison_date=CHANGE_BOARD,
        title="Cleveland Police Change Programme",
        officer_name="Mark Webster",
        by=pmo,
        when=at(COMMITTEE_REPORT),
    )
    _write_and_publish(june, JUNE_WORDS, pmo, COMMITTEE_REPORT)
    return True
