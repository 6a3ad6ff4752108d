"""Ship the report templates: the Audit Committee paper in the form of the seed report, a PRINCE2-style
Change Board highlight report, and an executive summary; and the boards that use them."""

from django.db import migrations

from changeprog.migration_history import create_with_history
from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER, grant

REASON = "Shipped default"

IMPLICATIONS = "Finance\nDiversity and Equal Opportunities\nHuman Rights Act\nSustainability\nRisk"
IMPLICATIONS_DRAFT = (
    "All identified budget requirements for the workstreams are in progress.\n\n"
    "There are no diversity or equal opportunity implications arising from the content of this report.\n\n"
    "There are no Human Rights Act implications arising from the content of this report.\n\n"
    "There are no sustainability implications arising from this report.\n\n"
    "The risks associated with the programme are outlined in detail within the programme risk register."
)

# heading, kind, generator, prompt, subheadings, draft
TEMPLATES = {
    "Audit Committee paper": (
        "The committee report in the form the Audit Committee receives: seven numbered sections.",
        [
            ("Purpose", "narrative", "", "Why the committee is receiving this report.", "",
             "The purpose of the report is to update members on the progress of the {organisation} {programme}."),
            ("Recommendations", "narrative", "", "What members are asked to do.", "",
             "It is recommended that members note the contents of the report."),
            ("Background", "narrative", "", "What the committee needs to know since the last report.", "",
             "Since the last report to the {board} progress has been made on the workstreams within the {programme}."),
            ("Programme Status", "generated", "programme-status", "", "", ""),
            ("Workstream Updates", "generated", "workstream-updates", "", "", ""),
            ("Implications", "narrative", "", "One paragraph for each implication.", IMPLICATIONS, IMPLICATIONS_DRAFT),
            ("Conclusions", "narrative", "", "The main messages for members.", "",
             "The {programme} is currently at {overall} status."),
        ],
    ),
    "Change Board highlight report": (
        "A PRINCE2-style highlight report for the Force Change Board.",
        [
            ("Status summary", "generated", "programme-status", "", "", ""),
            ("Status by dimension: last period and this period", "generated", "status-table", "", "", ""),
            ("This period's progress", "generated", "workstream-updates", "", "", ""),
            ("Next period", "narrative", "", "The work planned for the next period.", "", ""),
            ("Issues and risks", "generated", "risk-summary", "", "", ""),
            ("Decisions needed", "narrative", "", "Decisions the board is asked to make.", "", ""),
            ("What changed", "generated", "changes", "", "", ""),
            ("Status key", "generated", "status-key", "", "", ""),
        ],
    ),
    "Executive summary": (
        "A short summary for the executive.",
        [
            ("Summary", "narrative", "", "The headline in a few sentences.", "",
             "The {programme} is reporting {overall}. {overall_reason}"),
            ("Programme status", "generated", "programme-status", "", "", ""),
            ("Prioritisation", "generated", "prioritisation", "", "", ""),
            ("Top risks", "generated", "risk-summary", "", "", ""),
            ("What changed", "generated", "changes", "", "", ""),
        ],
    ),
}

BOARDS = [
    ("Audit Committee", "Audit Committee paper", "Report of the Chief Constable to the Chair and Members of the Audit Committee", "Chief Constable"),
    ("Force Change Board", "Change Board highlight report", "Highlight report to the Force Change Board", ""),
    ("Executive", "Executive summary", "Summary for the Executive", ""),
]


def forwards(apps, schema_editor):
    ReportTemplate = apps.get_model("reporting", "ReportTemplate")
    templates = {}
    for name, (description, sections) in TEMPLATES.items():
        existing = ReportTemplate.objects.filter(name=name).first()
        if existing:
            templates[name] = existing
            continue
        template = create_with_history(apps, "reporting", "ReportTemplate", reason=REASON, name=name, description=description)
        for order, (heading, kind, generator, prompt, subheadings, draft) in enumerate(sections, start=1):
            create_with_history(
                apps, "reporting", "TemplateSection", reason=REASON, template=template, order=order, heading=heading,
                kind=kind, generator=generator, prompt=prompt, subheadings=subheadings, draft=draft,
            )
        templates[name] = template
    Board = apps.get_model("reporting", "Board")
    for name, template, addressed_to, officer in BOARDS:
        if not Board.objects.filter(name=name).exists():
            create_with_history(
                apps, "reporting", "Board", reason=REASON, name=name, template=templates[template],
                addressed_to=addressed_to, executive_officer=officer,
            )
    models = ["reporttemplate", "templatesection", "board", "report", "reportsection"]
    view_all = [f"view_{m}" for m in models]
    grant(
        apps,
        {
            PROGRAMME_OFFICE: {"reporting": view_all + [f"{v}_{m}" for v in ("add", "change") for m in ("report", "reportsection")]},
            CONTRIBUTOR: {"reporting": view_all},
            VIEWER: {"reporting": view_all},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial"), ("workstreams", "0003_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
