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

from changeprog.colours import check_text_contrast
from changeprog.custom_fields import check_values
from changeprog.effective import EffectiveDated, day_text
from changeprog.links import link
from changeprog.text import article
from changeprog.vocabulary import lifecycle_display

colour_validator = RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Enter a colour as # and six hex digits, e.g. #D4351C.")


class Lifecycle(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    CLOSING = "closing", "Closing"
    CLOSED = "closed", "Closed"
    DEPRIORITISED = "deprioritised", "Deprioritised"


# "Open" means still being worked on: proposed, active or closing. The one definition, in Python and in SQL
# (`workstreams.rules.open_q`); closed and deprioritised work is not open.
OPEN_LIFECYCLES = frozenset({Lifecycle.PROPOSED, Lifecycle.ACTIVE, Lifecycle.CLOSING})


class StatusScaleQuerySet(models.QuerySet):
    def current(self, code: str) -> "StatusScale":
        """The version of the scale `code` that new configuration uses."""
        return self.get(code=code, is_current=True)


class StatusScale(models.Model):
    """An ordered set of levels an item can be rated on, e.g. RAG or the five-point Delivery Confidence.

    Versioned like a risk scheme: a scale that has rated anything is never edited in place. A change makes the
    next version (same code, `previous` pointing back), so every rating keeps the level it was given, with its
    label, colour and severity as they were.
    """

    code = models.SlugField(max_length=40, help_text="Shared by every version of the scale.")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version", editable=False
    )
    is_current = models.BooleanField(
        default=True, help_text="The version new configuration uses; older versions keep the ratings given on them."
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    objects = StatusScaleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="status_scale_unique_version",
                violation_error_message="This scale already has a version with that number.",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_current=True),
                name="status_scale_one_current_version",
                violation_error_message="Only one version of a scale can be current.",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(is_current=True),
                name="status_scale_unique_current_name",
                violation_error_message="There is already a scale with this name.",
            ),
        ]

    def __str__(self):
        return self.name if self.version == 1 else f"{self.name} (version {self.version})"


class StatusLevel(models.Model):
    """One level of a scale. Severity orders the levels: a higher number is a worse position.

    A level that is not a rating (Not reported, Exempt, Reset, Paused …) is shown as it is, with its reason, and
    is never better or worse than anything: it is counted apart from the ratings.
    """

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
    is_rating = models.BooleanField(
        default=True,
        help_text="Untick for a state that is not a rating (e.g. Not reported, Exempt, Paused): shown with its "
        "reason, never counted as better or worse.",
    )
    requires_reason = models.BooleanField(default=False, help_text="A rating at this level must give a reason.")
    means_complete = models.BooleanField(default=False, help_text="This level means the work is complete.")
    aliases = models.TextField(
        blank=True,
        help_text="Other exact words an imported tracker uses for this level, one per line (e.g. A for Amber). "
        "Nothing else is matched: look-alikes are reported, never guessed.",
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    # What a rating shows and how it compares: changing any of these on a scale in use makes a new version.
    # Aliases only help an import find the level, so they may change in place.
    VERSIONED_FIELDS = (
        "code",
        "label",
        "colour",
        "text_colour",
        "definition",
        "severity",
        "is_rating",
        "requires_reason",
        "means_complete",
    )

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

    def clean(self):
        super().clean()
        check_text_contrast(self.colour, self.text_colour)


class LevelMapping(models.Model):
    """A declared equivalence from a level of one scale to a level of another, so that a movement across a
    scale change can still read better or worse. Making a new version declares one per copied level; an
    administrator declares others (e.g. five-point Amber/Green to three-point Amber)."""

    from_level = models.ForeignKey(StatusLevel, on_delete=models.CASCADE, related_name="mappings_out")
    to_level = models.ForeignKey(StatusLevel, on_delete=models.CASCADE, related_name="mappings_in")
    to_scale = models.ForeignKey(StatusScale, on_delete=models.CASCADE, related_name="+", editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["from_level__scale", "from_level__severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_level", "to_scale"],
                name="level_mapping_one_per_scale",
                violation_error_message="A level maps to one level of each other scale.",
            ),
        ]

    def __str__(self):
        return f"{self.from_level} → {self.to_level}"

    def save(self, *args, **kwargs):
        self.to_scale_id = self.to_level.scale_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.from_level_id and self.to_level_id and self.from_level.scale_id == self.to_level.scale_id:
            raise ValidationError({"to_level": "A mapping joins levels of two different scales."})


class CadenceKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly (calendar months)"
    QUARTERLY = "quarterly", "Quarterly (calendar quarters: Apr–Jun, Jul–Sep, Oct–Dec, Jan–Mar)"
    WEEKS = "weeks", "Every N weeks from an anchor date"


class ReportingCadence(models.Model):
    """How often items report. Periods follow each other without gaps; an open item needs an update dated in
    the last whole period before the day asked about, or later (`workstreams.rules.needs_update`)."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=CadenceKind.choices, default=CadenceKind.MONTHLY)
    every_weeks = models.PositiveSmallIntegerField(default=4, help_text="For 'every N weeks': N.")
    anchor = models.DateField(null=True, blank=True, help_text="For 'every N weeks': the first day of any one period.")
    deadline_days = models.PositiveSmallIntegerField(
        default=5, help_text="Updates are due this many days before a meeting."
    )
    is_default = models.BooleanField(default=False, help_text="Used by programmes and boards that name none.")

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="reporting_cadence_one_default",
                violation_error_message="Only one cadence can be the default.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="weeks") | Q(anchor__isnull=False, every_weeks__gte=1),
                name="reporting_cadence_weeks_need_anchor",
                violation_error_message="A cadence of every N weeks needs N and an anchor date.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == CadenceKind.WEEKS and not (self.anchor and self.every_weeks):
            raise ValidationError({"anchor": "A cadence of every N weeks needs N and an anchor date."})


class ImportBatch(models.Model):
    """One tracker import: the file, who brought it in and when, and what it made. Everything the import created
    links back to it, so the record says where it came from; a file already imported is refused by checksum."""

    file_name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the file.")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict, help_text="What the import made, by kind.")
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Import {self.pk}: {self.file_name}"

    def get_absolute_url(self):
        return reverse("workstreams:import_batch", args=[self.pk])


class ImportJob(models.Model):
    """A tracker import asked for on the import page and run by the task worker, so a large file never holds a
    request open: the file, who asked, how far it has got, and what came of it (problems, or the batch)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        CHECKING = "checking", "Checking the file"
        WRITING = "writing", "Saving"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The uploaded file, kept until the import has run.")
    dry_run = models.BooleanField(default=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_to_write = models.PositiveIntegerField(default=0, help_text="Status updates the file holds, once checked.")
    problems = models.JSONField(default=list, help_text="[sheet, row, column, message] for each problem found.")
    summary = models.TextField(blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True, help_text="Why the worker could not finish, if it could not.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Import job {self.pk}: {self.file_name}"

    def get_absolute_url(self):
        return reverse("workstreams:import_job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Stage(models.Model):
    """A stage of the delivery lifecycle as the organisation names it (Discovery, Design, Delivery, Closure …),
    kept apart from the lifecycle (whether work is open at all) and from status (how it is going)."""

    name = models.CharField(max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="Untick to stop offering it; items already in it keep it.")

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


def _stage_field():
    return models.ForeignKey(
        Stage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the work is in its delivery (the organisation's own stages).",
    )


def _import_batch_field():
    return models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="The tracker import that created this.",
    )


class Portfolio(models.Model):
    """Programmes held together above the programme level, such as a force's change portfolio reported to its
    authority: its status rolls up from its programmes (`selectors.portfolio_overview`)."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scale = models.ForeignKey(
        "StatusScale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The scale its own recorded status is given on (its current version). When empty, the scale its "
        "programmes' headlines share.",
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return link("workstreams:portfolio", self.pk)


class PortfolioStatus(models.Model):
    """A portfolio's own status for a day, as its office records it for its board or authority: a level with
    what they should know. The roll-up from its programmes when it was recorded is kept beside it; a level that
    differs from that roll-up keeps the reason why (`differs_from_rollup`)."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.PROTECT, related_name="statuses")
    as_of = models.DateField("As at", help_text="The day this status describes.")
    level = models.ForeignKey(StatusLevel, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(help_text="What the board or authority should know: the position and what is done.")
    difference_reason = models.TextField(
        "Why it differs from its programmes",
        blank=True,
        help_text="Needed when the level is not the one rolled up from its programmes.",
    )
    rolled_up_level = models.ForeignKey(
        StatusLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    rolled_up_explanation = models.TextField(blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])
    effective_date_source = "as_of"

    class Meta:
        ordering = ["portfolio", "-as_of", "-pk"]
        verbose_name_plural = "portfolio statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "as_of"],
                name="portfolio_status_one_per_day",
                violation_error_message="A status for this day is already recorded for this portfolio.",
            )
        ]

    def __str__(self):
        return f"{self.portfolio} as at {day_text(self.as_of)}"

    def get_absolute_url(self):
        return self.portfolio.get_absolute_url()

    @property
    def differs_from_rollup(self) -> bool:
        """The level is a rating on the roll-up's own scale (any version) and not the rolled-up one."""
        rolled, level = self.rolled_up_level, self.level
        if rolled is None or level is None or not (rolled.is_rating and level.is_rating):
            return False
        return rolled.scale.code == level.scale.code and rolled.code != level.code

    def clean(self):
        errors = {}
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = "A status cannot be recorded for a day that has not come."
        scale = self.portfolio.scale if self.portfolio_id else None
        if self.level_id and scale is not None and self.level.scale.code != scale.code:
            errors["level"] = f"Choose a level of {scale.name}, the scale this portfolio's status is given on."
        if self.level_id and self.differs_from_rollup and not self.difference_reason.strip():
            errors["difference_reason"] = (
                f"{self.level.label} is not what its programmes roll up to ({self.rolled_up_explanation}); "
                "say why it differs."
            )
        if errors:
            raise ValidationError(errors)


class Programme(models.Model):
    """A change programme, with its own reporting dimensions; it may belong to a portfolio."""

    code = models.SlugField(
        max_length=20, unique=True, help_text="Short reference used in risk references, e.g. T2025."
    )
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True, help_text="e.g. Cleveland Police")
    portfolio = models.ForeignKey(
        Portfolio,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text="The portfolio it is reported in, if any.",
    )
    description = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    stage = _stage_field()
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    baseline_end_date = models.DateField(null=True, blank=True)
    forecast_end_date = models.DateField(null=True, blank=True)
    cadence = models.ForeignKey(
        ReportingCadence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="How often its items report; empty for the organisation's default cadence.",
    )
    custom = models.JSONField(
        default=dict, blank=True, help_text="Values of the organisation's own fields (changeprog.custom_fields)."
    )
    import_batch = _import_batch_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[EffectiveDated])
    custom_record = "programme"
    get_lifecycle_display = lifecycle_display  # the organisation's word for the state (`changeprog.vocabulary`)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_portfolio", "Can change every programme, workstream and project")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return link("workstreams:programme", self.pk)

    @property
    def is_open(self):
        return self.lifecycle in OPEN_LIFECYCLES

    def clean(self):
        check_values(self.custom_record, self.custom)


class PortfolioItem(models.Model):
    """What workstreams and projects share: a lifecycle, dates kept beside their baseline, and closure."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lifecycle = models.CharField(max_length=20, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    stage = _stage_field()
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
    custom = models.JSONField(
        default=dict, blank=True, help_text="Values of the organisation's own fields (changeprog.custom_fields)."
    )
    import_batch = _import_batch_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.lifecycle in OPEN_LIFECYCLES

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
        try:
            check_values(self.custom_record, self.custom)
        except ValidationError as error:
            errors.update(error.message_dict)
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

    history = HistoricalRecords(bases=[EffectiveDated])
    custom_record = "workstream"
    get_lifecycle_display = lifecycle_display

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
        return link("workstreams:workstream", self.pk)


class Project(PortfolioItem):
    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="projects")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )

    history = HistoricalRecords(bases=[EffectiveDated])
    custom_record = "project"
    get_lifecycle_display = lifecycle_display

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
        return link("workstreams:project", self.pk)


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
    not_reported_level = models.ForeignKey(
        StatusLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A state that is not a rating (e.g. Not reported), recorded when an imported row gives a reason "
        "or narrative but no level. Empty: such a row is refused.",
    )

    history = HistoricalRecords(bases=[EffectiveDated])

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

    def scale_on(self, day) -> "StatusScale":
        """The scale in force for this dimension on `day`: from its history as at that day, or, before the
        dimension was on record, the scale it started with."""
        from changeprog.effective import AS_AT_ORDER

        if self.pk is None or day is None:
            return self.scale
        rows = type(self).history.filter(id=self.pk)
        row = (
            rows.filter(effective_date__lte=day).order_by(*AS_AT_ORDER).first()
            or rows.order_by("effective_date", "history_date", "history_id").first()
        )
        return row.scale if row else self.scale

    def clean(self):
        level = self.not_reported_level
        if level is not None and self.scale_id and (level.scale_id != self.scale_id or level.is_rating):
            raise ValidationError(
                {"not_reported_level": f"Choose a level of {self.scale} that is not a rating (e.g. Not reported)."}
            )


SUBJECTS = ("programme", "workstream", "project")


def subject_scope(subject, *, rolled: bool = True) -> Q:
    """The records (with `programme`, `workstream` and `project` keys) of `subject` and, with `rolled`, of
    everything under it: a programme's own, its workstreams' and its projects'. Written as each key in a list of
    ids (not as joins OR-ed together), so the database reads each key's index instead of scanning every record:
    status rows, finance lines and milestones alike."""
    # The ids are read first (one small query each, once per object: pages ask several times) and written into the
    # condition as lists: PostgreSQL reads each key's index for a list, but scans every row when the lists are
    # subqueries OR-ed together (43 ms against 4 ms for a programme's finance lines at five times the large size).
    if isinstance(subject, Programme):
        own = Q(programme_id=subject.pk)
        if not rolled:
            return own
        workstreams, projects = ids_under(subject)
        return own | Q(workstream_id__in=workstreams) | Q(project_id__in=projects)
    if isinstance(subject, Workstream):
        own = Q(workstream_id=subject.pk)
        if not rolled:
            return own
        return own | Q(project_id__in=ids_under(subject)[1])
    return Q(project_id=subject.pk)


def ids_under_known(programme, workstream_ids, project_ids) -> None:
    """Tell `subject_scope` a programme's workstream and project ids as it stands, where the caller has just read
    every one of them (the live overview), so that it does not read them again."""
    programme.__dict__["_ids_under"] = (list(workstream_ids), list(project_ids))


def ids_under(subject) -> tuple[list, list]:
    """(workstream ids, project ids) under a programme or workstream as it stands, read once per object."""
    found = subject.__dict__.get("_ids_under")
    if found is None:
        if isinstance(subject, Programme):
            workstreams = list(Workstream.objects.filter(programme_id=subject.pk).values_list("pk", flat=True))
            projects = list(Project.objects.filter(workstream__programme_id=subject.pk).values_list("pk", flat=True))
        else:
            workstreams, projects = (
                [],
                list(Project.objects.filter(workstream_id=subject.pk).values_list("pk", flat=True)),
            )
        found = subject.__dict__["_ids_under"] = (workstreams, projects)
    return found


def subject_constraints(prefix: str, fields: list[str], *, one: str, unique: str, unique_name: str = "") -> list:
    """The constraints of a record that belongs to exactly one programme, workstream or project (its `programme`,
    `workstream` and `project` foreign keys): exactly one is set, and `fields` are unique per subject. Status
    updates and finance lines share them."""
    return [
        models.CheckConstraint(
            condition=(
                Q(programme__isnull=False, workstream__isnull=True, project__isnull=True)
                | Q(programme__isnull=True, workstream__isnull=False, project__isnull=True)
                | Q(programme__isnull=True, workstream__isnull=True, project__isnull=False)
            ),
            name=f"{prefix}_exactly_one_subject",
            violation_error_message=one,
        ),
        *(
            models.UniqueConstraint(
                fields=[subject, *fields],
                condition=Q(**{f"{subject}__isnull": False}),
                name=(unique_name or f"{prefix}_one_per_{{subject}}").format(subject=subject),
                violation_error_message=unique,
            )
            for subject in SUBJECTS
        ),
    ]


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
    import_batch = _import_batch_field()
    created_at = models.DateTimeField(default=timezone.now, editable=False, help_text="When it was recorded.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[EffectiveDated])
    effective_date_source = "as_of"

    class Meta:
        ordering = ["-as_of", "-created_at", "-pk"]
        get_latest_by = ["as_of", "created_at", "pk"]
        constraints = [
            *subject_constraints(
                "status_update",
                ["as_of"],
                one="A status update is for exactly one programme, workstream or project.",
                unique="This item already has an update for that date; correct it instead.",
                unique_name="status_update_one_per_{subject}_per_day",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "-as_of", "-created_at"], name="update_programme_latest"),
            models.Index(fields=["workstream", "-as_of", "-created_at"], name="update_workstream_latest"),
            models.Index(fields=["project", "-as_of", "-created_at"], name="update_project_latest"),
            # Every update, newest first (the administration's list): read a page without sorting them all.
            models.Index(fields=["-as_of", "-created_at", "-id"], name="update_newest_first"),
            # The projects updated since a period began (`owed`, "Everyone's updates still due"): only that
            # period's updates are read, not the whole history of every project.
            models.Index(fields=["as_of", "project"], condition=Q(project__isnull=False), name="update_project_since"),
        ]

    def __str__(self):
        return f"{self.subject} as at {day_text(self.as_of)}"

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    @property
    def subject(self):
        return self.programme or self.workstream or self.project

    @property
    def recorded_later(self) -> bool:
        """Entered on a later day than the one it describes."""
        return timezone.localdate(self.created_at) > self.as_of

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
    computed_level = models.ForeignKey(
        StatusLevel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        help_text="The level the dimension's rule gave when this was recorded (`workstreams.status_rules`).",
    )
    computed_explanation = models.TextField(
        blank=True, editable=False, help_text="Why the rule gave that level, as it read when this was recorded."
    )

    history = HistoricalRecords(bases=[EffectiveDated])
    effective_date_source = "update.as_of"

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

    @property
    def disagrees(self) -> bool:
        """Rated otherwise than its rule gave (the reason says why)."""
        return self.computed_level_id is not None and self.computed_level_id != self.level_id

    def clean(self):
        errors = {}
        update = self._update_or_none()
        if self.level_id and self.dimension_id:
            scale = self.dimension.scale_on(update.as_of if update else None)
            if self.level.scale_id != scale.pk:
                errors["level"] = (
                    f"{self.level.label} is on the {self.level.scale} scale; "
                    f"{self.dimension.name} is rated on the {scale} scale"
                    f"{f' on {day_text(update.as_of)}' if update and update.as_of else ''}."
                )
        update_reason = update.reason.strip() if update else ""
        if self.level_id and self.level.requires_reason and not (self.reason.strip() or update_reason):
            errors["reason"] = f"{article(self.level.label)} {self.level.label} rating needs a reason."
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


class RuleMethod(models.TextChoices):
    WORST = "worst", "Worst of its children"
    SHARE = "share", "Share of its children at or above a level"
    MEASURE = "measure", "A measure against thresholds"


class RuleSubject(models.TextChoices):
    PROGRAMME = "programme", "The programme (its children: its workstreams)"
    WORKSTREAM = "workstream", "Workstreams (their children: their projects)"
    PROJECT = "project", "Projects"


class StatusRule(models.Model):
    """How a dimension's rating is worked out for one kind of item, as data: the worst of its children, the share
    of its children at or above a level, or a measure (overdue risk actions, criteria outside tolerance, days past
    the forecast end) against thresholds. `workstreams.status_rules` evaluates it; the result always carries its
    explanation, a rating that differs from it needs a reason, and the rating keeps what the rule said.

    Levels are named by code, so a rule keeps working when its scale gets a new version with the same codes.
    """

    dimension = models.ForeignKey(StatusDimension, on_delete=models.CASCADE, related_name="rules")
    applies_to = models.CharField(max_length=10, choices=RuleSubject.choices)
    name = models.CharField(max_length=100, help_text="How people will refer to it, e.g. “any overdue → Amber”.")
    method = models.CharField(max_length=10, choices=RuleMethod.choices)
    measure = models.CharField(
        max_length=30,
        blank=True,
        help_text="For a measure: overdue-actions (risk actions past due), criteria-outside (criteria rated at or "
        "above a level), or days-past-forecast.",
    )
    as_share = models.BooleanField(
        "compare the share (%)",
        default=False,
        help_text="Thresholds are percentages of the total (e.g. of all actions) rather than counts.",
    )
    level_code = models.CharField(
        max_length=30,
        blank=True,
        help_text="For a share of children, or criteria outside tolerance: a rating at or above this level counts.",
    )
    criteria = models.TextField(
        blank=True, help_text="For criteria outside tolerance: the dimension codes that are the criteria, one per line."
    )
    steps = models.TextField(
        blank=True,
        help_text="Thresholds, one per line: a minimum and the level it gives, e.g. “1 AMBER” then “10 RED”. The "
        "highest minimum reached wins.",
    )
    otherwise_code = models.CharField(
        "otherwise", max_length=30, blank=True, help_text="The level when no threshold is reached (e.g. GREEN)."
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["dimension", "applies_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "applies_to"],
                name="status_rule_one_per_dimension_and_kind",
                violation_error_message="A dimension has one rule for each kind of item.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def step_list(self) -> list[tuple]:
        """[(minimum, level code)], lowest minimum first; lines that do not parse are left to `clean`."""
        from decimal import Decimal, InvalidOperation

        found = []
        for line in self.steps.splitlines():
            parts = line.split()
            if len(parts) == 2:
                try:
                    found.append((Decimal(parts[0]), parts[1]))
                except InvalidOperation:
                    continue
        return sorted(found)

    @property
    def criteria_codes(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]

    def clean(self):
        from workstreams import status_rules

        status_rules.check_rule(self)


class ProgrammeReview(models.Model):
    """A restructuring of a programme made in one audited step: workstreams closed and opened, projects moved."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(help_text="The date the review took effect.")
    reason = models.TextField()
    summary = models.TextField(blank=True, help_text="What the review changed, written when it was made.")
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])
    effective_date_source = "held_on"

    class Meta:
        ordering = ["programme", "-held_on", "-pk"]

    def __str__(self):
        return f"Review of {self.programme.code} on {day_text(self.held_on)}"

    def get_absolute_url(self):
        return self.programme.get_absolute_url()


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


class Milestone(models.Model):
    """A point in an item's plan the office tracks: due on its baseline date, expected on its forecast, done on
    its actual date. Overdue while planned and its forecast (or, without one, its baseline) has passed
    (`workstreams.milestones`). Those the committee must be told of are marked."""

    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="milestones")
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.PROTECT, related_name="milestones"
    )
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    baseline_date = models.DateField(help_text="The date agreed when it was planned.")
    forecast_date = models.DateField(null=True, blank=True, help_text="When it is now expected, if not the baseline.")
    actual_date = models.DateField(null=True, blank=True, help_text="When it was achieved.")
    status = models.CharField(max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    tell_committee = models.BooleanField(
        "The committee must be told", default=False, help_text="Shown in the papers' milestone sections."
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["baseline_date", "name"]
        constraints = [
            *subject_constraints(
                "milestone",
                ["name"],
                one="A milestone belongs to one programme, workstream or project.",
                unique="This item already has a milestone of that name.",
            ),
            models.CheckConstraint(
                condition=Q(status="complete", actual_date__isnull=False)
                | (~Q(status="complete") & Q(actual_date__isnull=True)),
                name="milestone_complete_has_actual_date",
                violation_error_message="A complete milestone has the date it was achieved, and only a complete one.",
            ),
        ]
        indexes = [models.Index(fields=["status", "forecast_date", "baseline_date"], name="milestone_due")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    @property
    def subject(self):
        return self.programme or self.workstream or self.project

    @property
    def due(self):
        """When it is expected: its forecast, else its baseline."""
        return self.forecast_date or self.baseline_date

    @property
    def slip_days(self) -> int:
        """Days its forecast (or actual) date lies past its baseline; 0 when on or before it."""
        later = self.actual_date or self.due
        return max((later - self.baseline_date).days, 0) if later and self.baseline_date else 0

    def is_overdue(self, day) -> bool:
        from workstreams.milestones import is_overdue

        return is_overdue(self, day)

    def clean(self):
        errors = {}
        if self.status == MilestoneStatus.COMPLETE and not self.actual_date:
            errors["actual_date"] = "Give the date it was achieved."
        if self.actual_date and self.status != MilestoneStatus.COMPLETE:
            errors["status"] = "A milestone with the date it was achieved is complete."
        if self.actual_date and self.actual_date > timezone.localdate():
            errors["actual_date"] = "It cannot have been achieved on a day that has not come."
        if errors:
            raise ValidationError(errors)
