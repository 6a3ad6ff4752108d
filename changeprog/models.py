"""Models of the core: what every app's pages share."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


class Comment(models.Model):
    """A remark in the thread on a status update, a risk or a draft paper: who said it and when, and who
    resolved it and when. Kept, never deleted; its history records each change."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comment_thread")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(resolved_at__isnull=True) | models.Q(resolved_by__isnull=False),
                name="comment_resolved_by_someone",
                violation_error_message="A resolved comment records who resolved it.",
            )
        ]

    def __str__(self):
        return f"Comment {self.pk} on {self.content_type.model} {self.object_id}"

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


class CustomFieldType(models.TextChoices):
    TEXT = "text", "Text"
    LONG_TEXT = "long_text", "Long text"
    WHOLE = "whole", "Whole number"
    DECIMAL = "decimal", "Decimal number"
    MONEY = "money", "Money (GBP)"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice from a list"
    USER = "user", "Person"
    LINK = "link", "Link"


class CustomRecord(models.TextChoices):
    """The kinds of record an administrator can add fields to."""

    PROGRAMME = "programme", "Programme"
    WORKSTREAM = "workstream", "Workstream"
    PROJECT = "project", "Project"
    RISK = "risk", "Risk"
    BENEFIT = "benefit", "Benefit"


class CustomField(models.Model):
    """A field an administrator adds to a kind of record (a lead body, a major-project reference, a tier, a
    whole-life cost): typed, optional or required, with help text. Its values live on each record
    (`custom`, governed like every other field); `changeprog.custom_fields` reads, checks and shows them."""

    record = models.CharField("kind of record", max_length=20, choices=CustomRecord.choices)
    code = models.SlugField(
        max_length=40,
        help_text="The key the value is kept under; never change it once values exist (use the label to rename).",
    )
    label = models.CharField(
        max_length=80, help_text="Shown on forms, pages and reports; the column header in exports and imports."
    )
    type = models.CharField(max_length=12, choices=CustomFieldType.choices, default=CustomFieldType.TEXT)
    required = models.BooleanField(default=False, help_text="Forms and imports refuse a record without it.")
    help_text = models.CharField(max_length=300, blank=True)
    choices = models.TextField(blank=True, help_text="For a choice: the allowed values, one per line, in order.")
    order = models.PositiveSmallIntegerField(default=0)
    on_board = models.BooleanField("show on board cards", default=False)
    in_reports = models.BooleanField("show in report project tables", default=False)
    active = models.BooleanField(
        default=True, help_text="Untick to stop asking for it; values already kept stay in the history."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["record", "order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "code"],
                name="custom_field_unique_code",
                violation_error_message="This kind of record already has a field with that code.",
            ),
            models.UniqueConstraint(
                fields=["record", "label"],
                name="custom_field_unique_label",
                violation_error_message="This kind of record already has a field with that label.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.get_record_display()})"

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.type == CustomFieldType.CHOICE and not self.options:
            raise ValidationError({"choices": "A choice field needs its values, one per line."})
        if self.type != CustomFieldType.CHOICE and self.options:
            raise ValidationError({"choices": "Only a choice field takes a list of values."})


class Vocabulary(models.Model):
    """What the organisation calls its levels and its lifecycle states, set once in the admin: a force may say
    Programme / Workstream / Project, a council Portfolio / Programme / Project. The lifecycle's meanings stay
    fixed (proposed and active are open, closing is open and ending, closed is done, deprioritised is paused);
    only their words change. One row; `changeprog.vocabulary` reads it."""

    portfolio = models.CharField(max_length=40, default="Portfolio")
    portfolios = models.CharField(max_length=40, default="Portfolios")
    programme = models.CharField(max_length=40, default="Programme")
    programmes = models.CharField(max_length=40, default="Programmes")
    workstream = models.CharField(max_length=40, default="Workstream")
    workstreams = models.CharField(max_length=40, default="Workstreams")
    project = models.CharField(max_length=40, default="Project")
    projects = models.CharField(max_length=40, default="Projects")
    lifecycle_proposed = models.CharField("proposed (open, not started)", max_length=40, default="Proposed")
    lifecycle_active = models.CharField("active (open)", max_length=40, default="Active")
    lifecycle_closing = models.CharField("closing (open, ending)", max_length=40, default="Closing")
    lifecycle_closed = models.CharField("closed (done)", max_length=40, default="Closed")
    lifecycle_deprioritised = models.CharField("deprioritised (paused)", max_length=40, default="Deprioritised")

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "vocabulary"

    def __str__(self):
        return "The organisation's words"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)
