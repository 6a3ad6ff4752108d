"""Form handling every app's pages share: service errors shown next to their fields, and the standard
"validate, call the service, confirm, redirect" page."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from changeprog.models import Submission


def add_service_errors(form, error: ValidationError):
    """Put a service's ValidationError next to the fields it names; anything else goes on top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def form_page(request, form, *, perform, success, title, cancel, template="form_page.html", context=None):
    """Show `form`; on a valid POST call `perform(cleaned_data)` (a service call), confirm with `success`
    (a message, or a function of the result) and redirect to the result. Invalid input answers 400.

    The page carries a one-time submission token: submitting the same page twice (a double click, a retry
    after a slow answer) acts once and sends the second request to what the first one made.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result, earlier = act_once(request, lambda: perform(form.cleaned_data))
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
        {"form": form, "title": title, "cancel": cancel, "submission_token": new_token(request), **(context or {})},
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


class ServiceValidatedModelForm(forms.ModelForm):
    """A ModelForm that only cleans its fields: the service it feeds checks the record as a whole (and maps its
    errors back with `add_service_errors`), so the model's own validation is not run twice, half-built."""

    def _post_clean(self):
        pass
