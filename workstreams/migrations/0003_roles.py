"""The three roles and what each may do with the portfolio."""

from django.db import migrations

from changeprog.roles import CONTRIBUTOR, PROGRAMME_OFFICE, VIEWER, grant

MODELS = ["programme", "workstream", "project", "statusscale", "statuslevel", "statusdimension", "statusupdate", "statusrating"]


def forwards(apps, schema_editor):
    view_all = [f"view_{m}" for m in MODELS]
    grant(
        apps,
        {
            PROGRAMME_OFFICE: {
                "workstreams": view_all
                + ["manage_portfolio"]
                + [f"{verb}_{m}" for verb in ("add", "change") for m in ("programme", "workstream", "project", "statusdimension", "statusupdate", "statusrating")]
            },
            CONTRIBUTOR: {
                "workstreams": view_all
                + ["change_workstream", "change_project", "add_statusupdate", "change_statusupdate", "add_statusrating", "change_statusrating"]
            },
            VIEWER: {"workstreams": view_all},
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0002_default_scales_and_dimensions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
