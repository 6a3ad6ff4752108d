"""Views that belong to the site rather than to one app."""

import logging

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from changeprog import comments, mail, signin
from changeprog.forms import BaseForm, add_service_errors
from changeprog.models import Comment, MailPreference

logger = logging.getLogger(__name__)


class UnlockForm(BaseForm):
    username = forms.CharField(max_length=255)
    ip_address = forms.GenericIPAddressField()


@require_GET
@never_cache
@login_not_required
def healthz(request):
    """200 when the database answers, 503 when it does not. For load balancers and monitoring. (Requests for
    it are answered by `HealthCheckMiddleware` first; this view serves `reverse("healthz")` and tests.)"""
    return health_response()


def health_response() -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"; the reason goes to the log
        logger.exception("Health check failed")
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


@require_GET
@login_not_required
@cache_control(max_age=300)
def status_level_css(request):
    """One CSS class per coloured row (status levels, risk bands), so colours come from the data without inline
    styles. The models are named in settings.COLOUR_CLASSES, so the core imports no app above it."""
    groups = [
        (prefix, apps.get_model(label).objects.only("pk", "colour", "text_colour").order_by("pk"))
        for prefix, label in settings.COLOUR_CLASSES.items()
    ]
    return render(request, "status-levels.css", {"groups": groups}, content_type="text/css")


@login_required
def signin_locks(request):
    """The user name and address pairs locked out of signing in now, for an administrator to lift."""
    if not (request.user.is_superuser or request.user.has_perm("axes.delete_accessattempt")):
        raise PermissionDenied("Only an administrator can see and lift sign-in locks.")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, address = form.cleaned_data["username"], form.cleaned_data["ip_address"]
        signin.unlock(username=username, ip_address=address)
        logger.warning("Sign-in lock lifted for %r from %s by %s", username, address, request.user.get_username())
        messages.success(request, f"Unlocked {username} signing in from {address}.")
        return redirect("signin_locks")
    return render(
        request,
        "registration/locks.html",
        {"locks": signin.current_locks(), "form": form, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=400 if form.is_bound and form.errors else 200,
    )


def bad_request(request, exception):
    """The 400 page, with the reason when ChangeProg itself gave one (a BadRequest a view raised about what the
    request said); Django's own refusals (a suspicious host, say) keep their details to the log."""
    from django.core.exceptions import BadRequest, SuspiciousOperation

    reason = (
        str(exception) if isinstance(exception, BadRequest) and not isinstance(exception, SuspiciousOperation) else ""
    )
    return render(request, "400.html", {"exception": reason}, status=400)


class MailPreferenceForm(forms.ModelForm):
    class Meta:
        model = MailPreference
        fields = ["digest", "days_before"]
        widgets = {"days_before": forms.NumberInput(attrs={"min": 1, "max": 28})}

    def clean_days_before(self):
        days = self.cleaned_data["days_before"]
        if not 1 <= days <= 28:
            raise forms.ValidationError("Warn between 1 and 28 days ahead.")
        return days


@login_required
def mail_preferences(request):
    """A person's own email preferences: the daily digest on or off, and how far ahead it warns."""
    preference = mail.preference_for(request.user)
    form = MailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email preferences are saved.")
        return redirect("mail_preferences")
    return render(
        request,
        "registration/mail_preferences.html",
        {"form": form, "address": request.user.email},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@csrf_exempt  # the signed link is the credential; mail clients post one-click unsubscribes (RFC 8058) without one
@login_not_required
def mail_unsubscribe(request, token):
    """Stop the daily digest from the link in any message, signed in or not: a button to confirm (a link
    scanner's GET changes nothing), or the mail client's one-click POST."""
    user = mail.user_from_token(token)
    if user is None:
        return render(request, "registration/mail_unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        preference = mail.preference_for(user)
        preference.digest = False
        preference.save()
        return render(request, "registration/mail_unsubscribe.html", {"done": True, "person": user})
    return render(request, "registration/mail_unsubscribe.html", {"person": user, "token": token})


class CommentForm(BaseForm):
    body = forms.CharField(label="Your comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


@login_required
def comment_thread(request, kind, pk):
    """The discussion of one record: read it, add to it (POST). Pages that show a thread inline post here too,
    with `next` to return to them."""
    kind, target = comments.target_for(request.user, kind, pk)
    thread_url = reverse("comment_thread", args=[kind.name, target.pk])
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comments.comment_add(target=target, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Comment added.")
            return redirect(_back(request, thread_url))
    return render(
        request,
        "comments/thread.html",
        {
            "comment_form": form,
            "kind": kind,
            "target": target,
            "description": kind.describe(target),
            "target_url": kind.page_url(target),
            **comments.thread_context(request.user, target),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def comment_resolve(request, pk):
    comment = get_object_or_404(Comment, pk=pk)
    kind, target = comments.target_for(request.user, comment.content_type.model, comment.object_id)
    try:
        comments.comment_resolve(comment=comment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Comment resolved.")
    return redirect(_back(request, reverse("comment_thread", args=[kind.name, target.pk])))


@require_GET
@login_not_required
def accessibility(request):
    """The accessibility statement public bodies publish (Public Sector Bodies Accessibility Regulations 2018)."""
    return render(request, "accessibility.html", {"contact": settings.ACCESSIBILITY_CONTACT})
