"""The portfolio: programmes, workstreams and projects, the status scales they report on, and their updates.

Status scales, levels and dimensions are data so that any organisation can report on its own scales without a
code change. The current status of an item is always its latest `StatusUpdate`; nothing else stores it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Enter a colour as # and six hex digits, e.g. #D4351C.")


class Lifecycle(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    DEPRIORITISED = "deprioritised", "Deprioritised"


class StatusScale(models.Model):
    """An ordered set of levels an item can be rated on, e.g. RAG or the five-point Delivery Confidence."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class StatusLevel(models.Model):
    """One level of a scale. Severity orders the levels: a higher number is a worse position."""

    scale = models.ForeignKey(StatusScale, on_delete=models.PROTECT, related_name="levels")
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=60)
    colour = models.CharField(max_length=7, validators=[colour_validator], help_text="Background colour.")
    text_colour = models.CharField(
        max_length=7,
        validators=[colour_validator],
        default="#FFFFFF",
        help_text="Text colour on the background.",
    )
    definition = models.TextField(blank=True)
    severity = models.PositiveSmallIntegerField(help_text="Higher is worse; used for ordering and movement.")
    requires_reason = models.BooleanField(default=False, help_text="A rating at this level must give a reason.")
    means_complete = models.BooleanField(default=False, help_text="This level means the work is complete.")
    aliases = models.TextField(
        blank=True,
        help_text="Other exact words an imported tracker uses for this level, one per line (e.g. A for Amber). "
        "Nothing else is matched: look-alikes are reported, never guessed.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "code"],
                name="status_level_unique_code_per_scale",
                violation_error_message="A scale cannot have two levels with the same code.",
            ),
            models.UniqueConstraint(
                fields=["scale", "severity"],
                name="status_level_unique_severity_per_scale",
                violation_error_message="Two levels of a scale cannot share a severity; the order must be clear.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.scale})"


class Programme(models.Model):
    """A change programme: the top of the portfolio, with its own reporting dimensions."""

    code = models.SlugField(
        max_length=20, unique=True, help_text="Short reference used in risk references, e.g. T2025."
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True, help_text="e.g. Cleveland Police")
    description = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    baseline_end_date = models.DateField(null=True, blank=True)
    forecast_end_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("manage_portfolio", "Can change every programme, workstream and project")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("workstreams:programme", args=[self.pk])


class PortfolioItem(models.Model):
    """What workstreams and projects share: a lifecycle, dates kept beside their baseline, and closure."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    start_date = models.DateField(null=True, blank=True)
    baseline_end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The end date first agreed. A re-plan changes the forecast, not this.",
    )
    forecast_end_date = models.DateField(null=True, blank=True, help_text="The end date now expected.")
    planned_closure_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    embedding_owner = models.CharField(
        max_length=300, blank=True, help_text="The business owner who embeds the change after closure."
    )
    national = models.BooleanField(default=False, help_text="Delivered through a national programme.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.lifecycle not in {Lifecycle.CLOSED, Lifecycle.DEPRIORITISED}

    @property
    def slipped_days(self):
        """Days the forecast end lies past the baseline; 0 when on or ahead of it, None when either is unset."""
        if not (self.baseline_end_date and self.forecast_end_date):
            return None
        return max((self.forecast_end_date - self.baseline_end_date).days, 0)

    def clean(self):
        errors = {}
        if self.closed_on and self.start_date and self.closed_on < self.start_date:
            errors["closed_on"] = "The closed-on date cannot be before the start date."
        if self.baseline_end_date and self.start_date and self.baseline_end_date < self.start_date:
            errors["baseline_end_date"] = "The baseline end date cannot be before the start date."
        if self.forecast_end_date and self.start_date and self.forecast_end_date < self.start_date:
            errors["forecast_end_date"] = "The forecast end date cannot be before the start date."
        if self.lifecycle == Lifecycle.CLOSED and not self.closed_on:
            errors["closed_on"] = "A closed item needs the date it closed."
        if errors:
            raise ValidationError(errors)


class Workstream(PortfolioItem):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="workstreams")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_workstreams",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position on the programme page.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "name"]
        indexes = [models.Index(fields=["programme", "order", "name"], name="workstream_programme_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(closed_on__gte=models.F("start_date")),
                name="workstream_closed_after_start",
                violation_error_message="The closed-on date cannot be before the start date.",
            ),
        ]

    def get_absolute_url(self):
        return reverse("workstreams:workstream", args=[self.pk])


class Project(PortfolioItem):
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="projects")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workstream", "name"]
        indexes = [models.Index(fields=["workstream", "name"], name="project_workstream_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(closed_on__gte=models.F("start_date")),
                name="project_closed_after_start",
                violation_error_message="The closed-on date cannot be before the start date.",
            ),
        ]

    def get_absolute_url(self):
        return reverse("workstreams:project", args=[self.pk])


class StatusDimension(models.Model):
    """A dimension a programme reports on (Overall, Schedule, Funding …) and the scale it uses.

    Rows with no programme are the organisation's defaults, copied onto each new programme.
    """

    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=60)
    scale = models.ForeignKey(StatusScale, on_delete=models.PROTECT, related_name="dimensions")
    order = models.PositiveSmallIntegerField(default=0)
    applies_to_programme = models.BooleanField(default=True)
    applies_to_workstreams = models.BooleanField(default=True)
    applies_to_projects = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"],
                name="status_dimension_unique_code_per_programme",
                violation_error_message="A programme cannot report two dimensions with the same code.",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(programme__isnull=True),
                name="status_dimension_unique_default_code",
                violation_error_message="There is already a default dimension with this code.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.programme.code if self.programme_id else 'default'})"


class StatusUpdate(models.Model):
    """The status of exactly one programme, workstream or project as at a date, with its narrative."""

    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="status_updates"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.PROTECT, related_name="status_updates"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="status_updates")
    as_of = models.DateField(help_text="The date the status describes.")
    reason = models.TextField(blank=True, help_text="Why the item stands where it does.")
    progress = models.TextField("progress this period", blank=True)
    next_steps = models.TextField("next steps", blank=True)
    issues = models.TextField(blank=True)
    decisions_needed = models.TextField("decisions needed", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False, help_text="When it was recorded.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "-created_at", "-pk"]
        get_latest_by = ["as_of", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(programme__isnull=False, workstream__isnull=True, project__isnull=True)
                    | Q(programme__isnull=True, workstream__isnull=False, project__isnull=True)
                    | Q(programme__isnull=True, workstream__isnull=True, project__isnull=False)
                ),
                name="status_update_exactly_one_subject",
                violation_error_message="A status update is for exactly one programme, workstream or project.",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "-as_of", "-created_at"], name="update_programme_latest"),
            models.Index(fields=["workstream", "-as_of", "-created_at"], name="update_workstream_latest"),
            models.Index(fields=["project", "-as_of", "-created_at"], name="update_project_latest"),
        ]

    def __str__(self):
        return f"{self.subject} as at {self.as_of:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    @property
    def subject(self):
        return self.programme or self.workstream or self.project

    @property
    def subject_programme_id(self):
        """The programme whose dimensions this update reports on."""
        if self.programme_id:
            return self.programme_id
        if self.workstream_id:
            return self.workstream.programme_id
        if self.project_id:
            return self.project.workstream.programme_id
        return None


class StatusRating(models.Model):
    """The level one update gives on one dimension. The level must be on that dimension's scale."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(StatusDimension, on_delete=models.PROTECT, related_name="ratings")
    level = models.ForeignKey(StatusLevel, on_delete=models.PROTECT, related_name="ratings")
    reason = models.TextField(blank=True, help_text="Why, for this dimension. The update's reason serves if empty.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension__order", "dimension__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "dimension"],
                name="status_rating_one_per_dimension",
                violation_error_message="An update rates each dimension once.",
            ),
        ]

    def __str__(self):
        return f"{self.dimension.name}: {self.level.label}"

    @property
    def explanation(self):
        return self.reason or self.update.reason

    def clean(self):
        errors = {}
        if self.level_id and self.dimension_id and self.level.scale_id != self.dimension.scale_id:
            errors["level"] = (
                f"{self.level.label} is on the {self.level.scale} scale; "
                f"{self.dimension.name} is rated on the {self.dimension.scale} scale."
            )
        update = self._update_or_none()
        update_reason = update.reason.strip() if update else ""
        if self.level_id and self.level.requires_reason and not (self.reason.strip() or update_reason):
            errors["reason"] = f"A {self.level.label} rating needs a reason."
        programme_id = update.subject_programme_id if update else None
        if self.dimension_id and programme_id and self.dimension.programme_id != programme_id:
            errors["dimension"] = f"{self.dimension.name} is not a dimension of this item's programme."
        if errors:
            raise ValidationError(errors)

    def _update_or_none(self):
        # In an admin inline the parent update may not be saved yet, but it is attached to the rating.
        if self.update_id or StatusRating.update.is_cached(self):
            return self.update
        return None


class ProgrammeReview(models.Model):
    """A restructuring of a programme made in one audited step: workstreams closed and opened, projects moved."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(help_text="The date the review took effect.")
    reason = models.TextField()
    summary = models.TextField(blank=True, help_text="What the review changed, written when it was made.")
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "-held_on", "-pk"]

    def __str__(self):
        return f"Review of {self.programme.code} on {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.programme.get_absolute_url()
