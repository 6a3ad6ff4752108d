"""The organisation's corporate risk register, which programme risks are escalated to."""

from django.db import migrations

from changeprog.migration_history import create_with_history


def forwards(apps, schema_editor):
    Register = apps.get_model("risks", "Register")
    if not Register.objects.filter(level="corporate").exists():
        create_with_history(
            apps, "risks", "Register", reason="Shipped default", level="corporate", code="CRR", name="Corporate risk register"
        )


class Migration(migrations.Migration):
    dependencies = [("risks", "0004_risk_direction_of_travel")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
