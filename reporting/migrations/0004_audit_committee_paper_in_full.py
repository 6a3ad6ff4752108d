"""The Audit Committee paper in the seed's full form: section 4 carries on after its status paragraphs with a
table of the category statuses (last period and this), the review and prioritisation, the programme before the review, notes on it, the revised programme, the rationale
and the next steps, all numbered 4.1, 4.2 … as one section. A template an administrator has already changed
is left alone."""

from django.db import migrations

from changeprog.migration_history import create_with_history, save_with_history

REASON = "Shipped default: the Audit Committee paper in the seed's full form"
SHIPPED = [
    ("Purpose", "narrative", ""),
    ("Recommendations", "narrative", ""),
    ("Background", "narrative", ""),
    ("Programme Status", "generated", "programme-status"),
    ("Workstream Updates", "generated", "workstream-updates"),
    ("Implications", "narrative", ""),
    ("Conclusions", "narrative", ""),
]
# heading, kind, generator, prompt, draft — each carries on section 4.
CONTINUATIONS = [
    ("Programme Status (continued): status by category", "generated", "status-table", "", ""),
    (
        "Programme Status (continued): review and prioritisation",
        "narrative",
        "",
        "How the programme was reviewed and its projects prioritised, ending with the sentence that introduces "
        "the pictures.",
        "Each of the projects whether existing or new have been risk assessed using the corporate risk criteria "
        "to consider the repercussions should it not be progressed.\n\n"
        "To demonstrate how the programme has evolved the below pictures provide the programme status prior to "
        "the review and after.",
    ),
    ("Programme Status (continued): the programme before", "generated", "structure-before", "", ""),
    (
        "Programme Status (continued): notes on the picture",
        "narrative",
        "",
        "What members should note about the picture, one bullet per colour.",
        "The following should be noted:\n· ",
    ),
    ("Programme Status (continued): the revised programme", "generated", "structure-after", "", ""),
    (
        "Programme Status (continued): rationale",
        "narrative",
        "",
        "Why the programme has developed as it has.",
        "The rationale for the developments include:\n{opened}",
    ),
    ("Programme Status (continued): next steps", "generated", "next-steps", "", ""),
]


def forwards(apps, schema_editor):
    Template = apps.get_model("reporting", "ReportTemplate")
    template = Template.objects.filter(name="Audit Committee paper").first()
    if template is None:
        return
    sections = list(template.sections.order_by("order"))
    if [(s.heading, s.kind, s.generator) for s in sections] != SHIPPED:
        return
    # Move Workstream Updates, Implications and Conclusions down, last first, to keep positions unique.
    for section in reversed(sections[4:]):
        section.order += len(CONTINUATIONS)
        save_with_history(apps, "reporting", section, reason=REASON)
    for offset, (heading, kind, generator, prompt, draft) in enumerate(CONTINUATIONS, start=5):
        create_with_history(
            apps, "reporting", "TemplateSection", reason=REASON, template=template, order=offset, heading=heading,
            kind=kind, generator=generator, prompt=prompt, draft=draft, continues=True,
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_section_continues")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
