"""What each role may do with risks, prioritisation and dependencies."""

from django.db import migrations

from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER, grant

MODELS = [
    "riskscheme",
    "likelihoodlevel",
    "impactlevel",
    "riskband",
    "bandcell",
    "riskcategory",
    "impactdescriptor",
    "priorityassessment",
    "priorityimpact",
    "register",
    "risk",
    "riskaction",
    "escalation",
    "dependency",
]
WORK = ["priorityassessment", "priorityimpact", "register", "risk", "riskaction", "escalation", "dependency"]


def forwards(apps, schema_editor):
    view_all = [f"view_{m}" for m in MODELS]
    grant(
        apps,
        {
            PROGRAMME_OFFICE: {"risks": view_all + [f"{verb}_{m}" for verb in ("add", "change") for m in WORK]},
            # Object-level rules in risks/access.py keep contributors to their own workstreams' items.
            CONTRIBUTOR: {
                "risks": view_all
                + [f"{verb}_{m}" for verb in ("add", "change") for m in ("risk", "riskaction", "escalation", "dependency")]
            },
            VIEWER: {"risks": view_all},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("risks", "0002_default_scheme"), ("workstreams", "0003_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
