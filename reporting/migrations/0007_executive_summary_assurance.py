"""The executive summary also reports assurance and value: business cases, benefits, drivers and evidence,
embedding and decisions. A template an administrator has already changed is left alone."""

from django.db import migrations

from changeprog.migration_history import create_with_history

REASON = "Shipped default: assurance and value in the executive summary"
SHIPPED = ["Summary", "Programme status", "Prioritisation", "Top risks", "What changed"]
ADDED = [
    ("Business cases", "business-cases"),
    ("Benefits", "benefits"),
    ("Drivers and evidence", "drivers"),
    ("Embedding after closure", "embedding"),
    ("Decisions", "decisions"),
]


def forwards(apps, schema_editor):
    Template = apps.get_model("reporting", "ReportTemplate")
    template = Template.objects.filter(name="Executive summary").first()
    if template is None or list(template.sections.order_by("order").values_list("heading", flat=True)) != SHIPPED:
        return
    for order, (heading, generator) in enumerate(ADDED, start=len(SHIPPED) + 1):
        create_with_history(
            apps, "reporting", "TemplateSection", reason=REASON, template=template, order=order, heading=heading,
            kind="generated", generator=generator,
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_assurance_generators")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
