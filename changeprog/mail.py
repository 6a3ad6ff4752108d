"""Email to people: a message rendered from a template in text and HTML, links that open the right page, and
each person's preferences with a one-click unsubscribe. What a digest says is the business of the app that
builds it (`reporting.reminders`); how it is sent, to whom it may go and how to stop it live here."""

import email.policy

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from changeprog.models import MailPreference

UNSUBSCRIBE_SALT = "changeprog.mail.unsubscribe"


def absolute(path: str) -> str:
    """A site path as a full address (SITE_URL), for links in email."""
    return f"{settings.SITE_URL}{path}"


def preference_for(user) -> MailPreference:
    """The person's preferences: saved ones, or the defaults (saved when first changed)."""
    return MailPreference.objects.filter(user=user).first() or MailPreference(user=user)


# Headers are not folded below RFC 5322's limit of 998 characters: folded, a long List-Unsubscribe address would
# be split into encoded words, which mail clients do not read as an address.
class Message(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_token(token: str):
    """The user an unsubscribe link was made for, or None for a link that is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()


def can_mail(user) -> bool:
    return bool(user.is_active and user.email)


def send(user, *, subject: str, template: str, context: dict) -> None:
    """Send `template` (`<template>.txt` and `<template>.html`) to one person, with their unsubscribe link in
    the message and in its List-Unsubscribe header."""
    unsubscribe = absolute(reverse("mail_unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        **context,
        "user": user,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("mail_preferences")),
    }
    message = Message(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
