"""What each role may do with assurance records (the ceiling; assurance.access decides per item)."""

from django.db import migrations

from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER, grant

MODELS = [
    "driver", "driverlink", "evidence", "businesscase", "fundingline", "casedecision", "benefit",
    "benefitmeasurement", "embeddingaction", "decision",
]


def forwards(apps, schema_editor):
    view = [f"view_{m}" for m in MODELS]
    grant(
        apps,
        {
            PROGRAMME_OFFICE: {"assurance": view + [f"{a}_{m}" for a in ("add", "change", "delete") for m in MODELS]},
            CONTRIBUTOR: {
                "assurance": view
                + ["add_evidence", "add_benefit", "change_benefit", "add_benefitmeasurement", "change_benefitmeasurement"]
                + ["add_embeddingaction", "change_embeddingaction"]
            },
            VIEWER: {"assurance": view},
        },
    )


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial"), ("workstreams", "0003_roles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
