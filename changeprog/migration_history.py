"""For data migrations: the models a migration sees carry no history hooks, so it writes history rows itself."""

from django.utils import timezone


def record_created(history_model, obj, *, reason: str, kind: str = "+"):
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    now = timezone.now()
    if any(f.name == "effective_date" for f in history_model._meta.fields):
        values["effective_date"] = timezone.localdate(now)
    history_model.objects.create(
        **values, history_date=now, history_type=kind, history_change_reason=reason, history_user=None
    )


def save_with_history(apps, app_label: str, obj, *, reason: str):
    """Save a changed object and record the change with its reason."""
    obj.save()
    record_created(apps.get_model(app_label, f"Historical{obj._meta.object_name}"), obj, reason=reason, kind="~")
    return obj


def create_with_history(apps, app_label: str, model_name: str, *, reason: str, **values):
    obj = apps.get_model(app_label, model_name).objects.create(**values)
    record_created(apps.get_model(app_label, f"Historical{model_name}"), obj, reason=reason)
    return obj


def fill_effective_dates(app_label: str):
    """A data migration step: every existing history row of the app takes effect on the day it was recorded
    (its local date), which is what "as at" read before effective dates existed."""

    def forwards(apps, schema_editor):
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical") or not any(
                f.name == "effective_date" for f in model._meta.fields
            ):
                continue
            batch = []
            for row in (
                model.objects.filter(effective_date__isnull=True)
                .only("history_id", "history_date")
                .iterator(chunk_size=2000)
            ):
                row.effective_date = timezone.localdate(row.history_date)
                batch.append(row)
                if len(batch) >= 2000:
                    model.objects.bulk_update(batch, ["effective_date"])
                    batch = []
            if batch:
                model.objects.bulk_update(batch, ["effective_date"])

    return forwards
