"""Admin pieces shared by every governed model: a required change reason that lands in the history row."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from simple_history.admin import SimpleHistoryAdmin

from changeprog.forms import CustomFieldsMixin, DatesMixin
from changeprog.paginators import CappedCountPaginator


class ChangeReasonForm(DatesMixin, forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history with your name and the time.",
    )


class GovernedAdmin(SimpleHistoryAdmin):
    """ModelAdmin whose every save records who (from the request) and why (from the form).

    Records of what happened (risks, decisions, evidence …) are closed, superseded or corrected, never deleted:
    such admins set `deletable = False`. Configuration (templates, boards, schemes not yet used) may be deleted
    one at a time; bulk deletion, which would skip each record's own rules, is never offered.
    """

    form = ChangeReasonForm
    deletable = True
    # Lists cost the same however many records the years bring: counted up to a cap, never counted twice.
    paginator = CappedCountPaginator
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    # Records whose number grows with the organisation: a choice of one is searched, never listed.
    SEARCHED = ("risks.register", "workstreams.workstream", "workstreams.project")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A choice of one person, register, workstream or project is searched (Django's autocomplete over that
        admin's search fields), as every form in the app uses a picker: no page lists every account or register."""
        from django.contrib.admin.widgets import AutocompleteSelect
        from django.contrib.auth import get_user_model

        chosen_elsewhere = db_field.name in self.raw_id_fields or "widget" in kwargs
        related = db_field.related_model
        searched = related is get_user_model() or related._meta.label_lower in self.SEARCHED
        if searched and not chosen_elsewhere:
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data["change_reason"]
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for instance in instances:
            instance._change_reason = reason
            instance.save()
        formset.save_m2m()


class CustomFieldsAdmin:
    """The organisation's own fields (`changeprog.custom_fields`) on the admin form of a record that has them,
    as the app's forms show them (typed, required, checked by the model), in their own section; the raw
    `custom` column is never edited directly."""

    def _custom_names(self):
        from changeprog.custom_fields import fields_for

        return {CustomFieldsMixin.CUSTOM_PREFIX + f.code: f for f in fields_for(self.model.custom_record)}

    def get_form(self, request, obj=None, **kwargs):
        from changeprog.custom_fields import form_field

        declared = {name: form_field(field) for name, field in self._custom_names().items()}
        kwargs["form"] = type(
            f"{self.model.__name__}AdminForm", (CustomFieldsMixin, kwargs.get("form", self.form)), declared
        )
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        own = list(self._custom_names())
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "custom" and f not in own]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if own:
            # Before the reason, which always comes last where a section holds it.
            at = len(fieldsets) - 1 if fieldsets and fieldsets[-1][0] == "Why" else len(fieldsets)
            fieldsets.insert(at, ("The organisation's own fields", {"fields": own}))
        return fieldsets


class RecordAdmin(admin.ModelAdmin):
    """A record that only the application writes (an import, a paper's stored output): seen in the admin, never
    added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
