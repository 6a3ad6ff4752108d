"""Form handling every app's pages share: service errors shown next to their fields, and the standard
"validate, call the service, confirm, redirect" page."""

import copy
import uuid
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from changeprog.concurrency import StaleEdit, current_version, guarded, seen_version_from
from changeprog.models import Submission


def id_param(params, name: str) -> int:
    """A record id from a query string, or a clear 400 (never a server error) for anything that is not one."""
    value = params.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise BadRequest(f"“{value[:40]}” is not a {name.replace('_', ' ')} this page knows.")
    return int(value)


def query_status(*forms) -> int:
    """A page read with a query string it could not use (a date out of range, a choice it does not offer) still
    shows, with the reason next to the field; its status says the request was bad."""
    return 400 if any(form.is_bound and form.errors for form in forms) else 200


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError next to the fields it names; anything else goes on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_page(request, form, *, perform, success, title, cancel, template="form_page.html", context=None, guard=None):
    """Show `form`; on a valid POST call `perform(cleaned_data)` (a service call), confirm with `success`
    (a message, or a function of the result) and redirect to the result. Invalid input answers 400.

    The page carries a one-time submission token: submitting the same page twice (a double click, a retry
    after a slow answer) acts once and sends the second request to what the first one made. With `guard` (the
    record being edited) it also carries the version it was opened on: a save over someone else's later change
    is refused with what they changed, and the input is kept (`changeprog.concurrency`).
    """
    seen_version = current_version(guard) if guard is not None else None
    if guard is not None and request.method == "POST":
        seen_version = seen_version_from(request.POST)
    if request.method == "POST" and form.is_valid():
        try:
            if guard is None:
                result, earlier = act_once(request, lambda: perform(form.cleaned_data))
            else:
                result, earlier = act_once(
                    request, lambda: guarded(guard, seen_version, lambda locked: perform(form.cleaned_data))
                )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
            seen_version = stale.version  # saving again goes ahead over the change now seen
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if earlier is not None:
                messages.info(request, "That form had already been submitted; this is what it made.")
                return redirect(earlier)
            messages.success(request, success(result) if callable(success) else success)
            return redirect(result)
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "cancel": cancel,
            "submission_token": new_token(request),
            "seen_version": seen_version,
            **(context or {}),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def act_once(request, perform):
    """Run `perform()` (a service call) once per submission token, in one transaction with the claim.

    Returns (result, None), or (None, the address of what an earlier submit of the same form made). A page
    that uses it renders `new_token(request)` as the hidden `submission_token` field
    (`includes/submission_token.html`).
    """
    token = _submission_token(request)
    with transaction.atomic():
        earlier = _claim(token, request.user)
        if earlier is not None:
            return None, earlier
        result = perform()
        _remember(token, request.user, result)
    return result, None


def new_token(request) -> uuid.UUID:
    """The token to render: the one submitted (a refused form keeps it, so its next submit still counts once)
    or a fresh one."""
    return _submission_token(request) or uuid.uuid4()


def _submission_token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("submission_token", ""))
    except ValueError:
        return None


def _claim(token, user) -> str | None:
    """Claim `token` for this submission; if another submission already used it, the address of its result.
    Two at once: the second waits on the unique token until the first commits, then finds its result."""
    if token is None:
        return None
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, user=user)
    except IntegrityError:
        earlier = Submission.objects.filter(token=token, user=user).values_list("result_url", flat=True).first()
        return earlier or "/"
    return None


def _remember(token, user, result):
    if token is None:
        return
    url = result.get_absolute_url() if hasattr(result, "get_absolute_url") else str(result)
    Submission.objects.filter(token=token, user=user).update(result_url=url[:500])


# Dates: one widget for every date input (the browser's date picker, ISO values), and one range every date a
# person types must fall in. Years 1 or 9999 are legal Python dates but no programme's, and arithmetic on them
# (a period before, a horizon after) would overflow: they are refused as input instead.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2999, 12, 31)


def validate_date_in_range(value):
    if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
        raise ValidationError(
            "Choose a date between 1 Jan 1900 and 31 Dec 2999.", code="date_out_of_range", params={"value": value}
        )


class DatesMixin:
    """Every date field of the form gets the range check and, unless the form chose another, the date widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                if validate_date_in_range not in field.validators:
                    field.validators.append(validate_date_in_range)
                if type(field.widget) is forms.DateInput and "type" not in field.widget.attrs:
                    field.widget = copy.deepcopy(DATE_WIDGET)


class PickersMixin:
    """Every choice of one person becomes a searchable picker (`changeprog.people.use_person_pickers`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from changeprog.people import use_person_pickers

        use_person_pickers(self)


class BaseForm(PickersMixin, DatesMixin, forms.Form):
    """The base of every form that is not a model form."""


class BaseModelForm(PickersMixin, DatesMixin, forms.ModelForm):
    """The base of every model form."""


class ServiceValidatedModelForm(BaseModelForm):
    """A ModelForm that only cleans its fields: the service it feeds checks the record as a whole (and maps its
    errors back with `add_service_errors`), so the model's own validation is not run twice, half-built."""

    def _post_clean(self):
        pass


class CustomFieldsMixin:
    """Adds the organisation's own fields for the form's kind of record (`changeprog.custom_fields`), filled
    from the record's values. Once the form is valid its cleaned data holds them as one `custom` value (the
    record's whole set with the form's edits; values of fields no longer asked for are kept), present only when
    something changed, so a view that passes the cleaned data (or `changes()`) to its service saves them with
    the rest through `save_governed`: same reason, same history, same guard."""

    CUSTOM_PREFIX = "custom__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from changeprog import custom_fields

        record = getattr(self._meta.model, "custom_record", None)
        self.custom_fields = custom_fields.fields_for(record) if record else []
        values = self.instance.custom or {}
        self._custom_before = dict(values) if self.instance.pk else {}
        for field in self.custom_fields:
            name = self.CUSTOM_PREFIX + field.code
            self.fields[name] = custom_fields.form_field(field)
            if field.code in values:
                self.initial.setdefault(name, custom_fields.to_python(field, values[field.code]))

    def _fold_custom(self):
        """Gather the custom fields' cleaned values into `cleaned_data["custom"]` (idempotent)."""
        from changeprog import custom_fields

        if not self.custom_fields or not hasattr(self, "cleaned_data") or "_custom_after" in self.__dict__:
            return
        after = dict(self._custom_before)
        for field in self.custom_fields:
            name = self.CUSTOM_PREFIX + field.code
            if name not in self.cleaned_data:
                continue  # in error: the form is invalid anyway
            value = custom_fields.to_stored(field, self.cleaned_data.pop(name))
            if value is None:
                after.pop(field.code, None)
            else:
                after[field.code] = value
        self._custom_after = after
        if after != self._custom_before:
            self.cleaned_data["custom"] = after

    def full_clean(self):
        super().full_clean()
        self._fold_custom()

    def _post_clean(self):
        # The model's own checks (`check_values` in its clean) see the values the form will save.
        self.instance.custom = self.custom_changes().get("custom", self.instance.custom)
        super()._post_clean()

    def custom_changes(self) -> dict:
        self._fold_custom()
        return {"custom": self.cleaned_data["custom"]} if "custom" in getattr(self, "cleaned_data", {}) else {}

    def standard_field_names(self):
        return [name for name in self.fields if not name.startswith(self.CUSTOM_PREFIX)]
