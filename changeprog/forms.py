"""Form handling every app's pages share: service errors shown next to their fields, and the standard
"validate, call the service, confirm, redirect" page."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError next to the fields it names; anything else goes on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_page(request, form, *, perform, success, title, cancel, template="form_page.html", context=None):
    """Show `form`; on a valid POST call `perform(cleaned_data)` (a service call), confirm with `success`
    (a message, or a function of the result) and redirect to the result. Invalid input answers 400."""
    if request.method == "POST" and form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(result)
    return render(
        request,
        template,
        {"form": form, "title": title, "cancel": cancel, **(context or {})},
        status=400 if form.is_bound and form.errors else 200,
    )


class ServiceValidatedModelForm(forms.ModelForm):
    """A ModelForm that only cleans its fields: the service it feeds checks the record as a whole (and maps its
    errors back with `add_service_errors`), so the model's own validation is not run twice, half-built."""

    def _post_clean(self):
        pass
