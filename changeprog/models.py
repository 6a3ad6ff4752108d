"""Models of the core: what every app's pages share."""

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """A create form that has been acted on, by its one-time token: a second submit of the same form (a double
    click, a browser retry) finds it and goes to what the first one made instead of making it again."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="submission_created")]

    def __str__(self):
        return f"Submission {self.token}"


class MailPreference(models.Model):
    """What a person wants by email: the daily digest (on unless they turn it off or unsubscribe), how many days
    ahead it warns of things falling due, and when it last went."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference")
    digest = models.BooleanField(
        "send me a daily digest",
        default=True,
        help_text="One email a day, only when something is due, overdue or has happened since the last.",
    )
    days_before = models.PositiveSmallIntegerField(
        "warn me this many days ahead",
        default=5,
        help_text="How long before a status update, risk review or action falls due the digest first mentions it.",
    )
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(days_before__gte=1, days_before__lte=28),
                name="mail_preference_days_before_in_range",
                violation_error_message="Warn between 1 and 28 days ahead.",
            )
        ]

    def __str__(self):
        return f"Mail preferences of {self.user}"
