"""Ship the default status scales and the default reporting dimensions.

The data is written out here rather than imported, so that this migration means the same thing forever.
Administrators change scales afterwards in the admin; a scale is data, never code.
"""

from django.db import migrations

from changeprog.migration_history import record_created

REASON = "Shipped default"

# (code, label, colour, text colour, severity, requires reason, means complete, definition)
SCALES = {
    ("rag", "RAG"): (
        "Red, Amber, Green: the common three-point status.",
        [
            ("GREEN", "Green", "#00703C", "#FFFFFF", 1, False, False, "On track: no issues that threaten delivery."),
            (
                "AMBER",
                "Amber",
                "#FFBF47",
                "#0B0C0C",
                2,
                True,
                False,
                "Issues or risks that need management attention but are being handled.",
            ),
            (
                "RED",
                "Red",
                "#D4351C",
                "#FFFFFF",
                3,
                True,
                False,
                "Serious issues that need wider support or senior direction.",
            ),
        ],
    ),
    ("delivery", "Delivery state"): (
        "The delivery states of a programme picture: what is delivered, embedding, at risk, complete or deprioritised.",
        [
            ("GREEN", "Green", "#00703C", "#FFFFFF", 1, False, True, "Delivered: the change requirements are delivered."),
            (
                "GREY",
                "Grey",
                "#B1B4B6",
                "#0B0C0C",
                2,
                False,
                True,
                "Complete from a change perspective; some still to be embedded by the business areas.",
            ),
            (
                "YELLOW",
                "Yellow",
                "#FFDD00",
                "#0B0C0C",
                3,
                False,
                False,
                "Embedding: the remaining work is embedding the changes and developing skills and practice.",
            ),
            ("PURPLE", "Purple", "#4C2C92", "#FFFFFF", 4, True, False, "Deprioritised."),
            ("AMBER", "Amber", "#FFBF47", "#0B0C0C", 5, True, False, "In progress with issues affecting delivery."),
            ("RED", "Red", "#D4351C", "#FFFFFF", 6, True, False, "Delivery is seriously impeded and needs intervention."),
        ],
    ),
    ("dca", "Delivery Confidence Assessment (five-point)"): (
        "The five-point Delivery Confidence Assessment used for major projects in UK government.",
        [
            (
                "G",
                "Green",
                "#00703C",
                "#FFFFFF",
                1,
                False,
                False,
                "Successful delivery of the project or programme to time, cost and quality appears highly likely "
                "and there are no major outstanding issues that at this stage appear to threaten delivery "
                "significantly.",
            ),
            (
                "AG",
                "Amber/Green",
                "#85994B",
                "#0B0C0C",
                2,
                False,
                False,
                "Successful delivery appears probable. However, constant attention will be needed to ensure risks "
                "do not materialise into major issues threatening delivery.",
            ),
            (
                "A",
                "Amber",
                "#FFBF47",
                "#0B0C0C",
                3,
                True,
                False,
                "Successful delivery appears feasible but significant issues already exist, requiring management "
                "attention. These appear resolvable at this stage and, if addressed promptly, should not present "
                "a cost or schedule overrun.",
            ),
            (
                "AR",
                "Amber/Red",
                "#F47738",
                "#0B0C0C",
                4,
                True,
                False,
                "Successful delivery of the project or programme is in doubt, with major risks or issues apparent "
                "in a number of key areas. Urgent action is needed to address these problems and/or assess "
                "whether resolution is feasible.",
            ),
            (
                "R",
                "Red",
                "#D4351C",
                "#FFFFFF",
                5,
                True,
                False,
                "Successful delivery of the project or programme appears to be unachievable. There are major "
                "issues with project or programme definition, schedule, budget, quality and/or benefits delivery, "
                "which at this stage do not appear to be manageable or resolvable. The project or programme may "
                "need re-scoping and/or its overall viability reassessed.",
            ),
        ],
    ),
    ("brag", "BRAG"): (
        "Blue, Red, Amber, Green: RAG with Blue for complete.",
        [
            ("BLUE", "Blue", "#1D70B8", "#FFFFFF", 0, False, True, "Complete."),
            ("GREEN", "Green", "#00703C", "#FFFFFF", 1, False, False, "On track."),
            ("AMBER", "Amber", "#FFBF47", "#0B0C0C", 2, True, False, "At risk; being managed."),
            ("RED", "Red", "#D4351C", "#FFFFFF", 3, True, False, "Off track; needs intervention."),
        ],
    ),
}

DEFAULT_DIMENSIONS = ["Overall", "Schedule", "Funding", "Resources", "Risk", "Scope", "Benefits"]


def forwards(apps, schema_editor):
    StatusScale = apps.get_model("workstreams", "StatusScale")
    StatusLevel = apps.get_model("workstreams", "StatusLevel")
    StatusDimension = apps.get_model("workstreams", "StatusDimension")
    HistoricalScale = apps.get_model("workstreams", "HistoricalStatusScale")
    HistoricalLevel = apps.get_model("workstreams", "HistoricalStatusLevel")
    HistoricalDimension = apps.get_model("workstreams", "HistoricalStatusDimension")

    def record(history_model, obj):
        record_created(history_model, obj, reason=REASON)

    for (code, name), (description, levels) in SCALES.items():
        if StatusScale.objects.filter(code=code).exists():
            continue
        scale = StatusScale.objects.create(code=code, name=name, description=description)
        record(HistoricalScale, scale)
        for level_code, label, colour, text_colour, severity, requires_reason, complete, definition in levels:
            level = StatusLevel.objects.create(
                scale=scale,
                code=level_code,
                label=label,
                colour=colour,
                text_colour=text_colour,
                severity=severity,
                requires_reason=requires_reason,
                means_complete=complete,
                definition=definition,
            )
            record(HistoricalLevel, level)

    rag = StatusScale.objects.get(code="rag")
    for order, name in enumerate(DEFAULT_DIMENSIONS, start=1):
        if StatusDimension.objects.filter(programme__isnull=True, code=name.lower()).exists():
            continue
        dimension = StatusDimension.objects.create(programme=None, code=name.lower(), name=name, scale=rag, order=order)
        record(HistoricalDimension, dimension)


class Migration(migrations.Migration):
    dependencies = [("workstreams", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
