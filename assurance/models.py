"""Assurance and value: why the work is done (drivers and the evidence that answers them), what it is worth
(business cases and benefits), that closed change is embedded, and the decisions boards make.

Every model keeps its history with who and why (django-simple-history, written through the services).
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from assurance.storage import evidence_storage, evidence_upload_to
from changeprog.custom_fields import check_values
from changeprog.effective import EffectiveDated, day_text
from changeprog.links import link
from workstreams.models import Programme, Project, Workstream

ONE_ITEM = Q(workstream__isnull=False, project__isnull=True) | Q(workstream__isnull=True, project__isnull=False)


class ItemLinked(models.Model):
    """Belongs to exactly one workstream or project."""

    workstream = models.ForeignKey(Workstream, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def item(self):
        return self.project or self.workstream

    @property
    def programme_id(self):
        return (self.project.workstream if self.project else self.workstream).programme_id


# --- Drivers and evidence -------------------------------------------------------------------------------------


class DriverKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Inspection recommendation"
    AREA_FOR_IMPROVEMENT = "afi", "Area for improvement"
    CAUSE_OF_CONCERN = "cause-of-concern", "Cause of concern"
    AUDIT = "audit", "Internal audit recommendation"
    PLAN_PRIORITY = "plan-priority", "Police and Crime Plan priority"
    OTHER = "other", "Other strategic driver"


class Driver(models.Model):
    """An external or strategic reason for the work: an inspection finding, an audit recommendation, a plan
    priority. Drivers belong to the organisation, not to one programme: the work of several may answer one."""

    kind = models.CharField(max_length=20, choices=DriverKind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=200, help_text="e.g. HMICFRS PEEL inspection 2021/22, Police and Crime Plan.")
    reference = models.CharField(max_length=60, blank=True, help_text="The source's own reference, if it has one.")
    issued_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["kind", "source", "reference", "title"]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self):
        return link("assurance:driver", self.pk)


class DriverLink(ItemLinked):
    """This work answers that driver."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="links")
    note = models.CharField(max_length=300, blank=True, help_text="How the work answers the driver.")

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=ONE_ITEM,
                name="driver_link_exactly_one_item",
                violation_error_message="Link a driver to one workstream or one project.",
            ),
            models.UniqueConstraint(
                fields=["driver", "workstream"],
                condition=Q(workstream__isnull=False),
                name="driver_link_unique_workstream",
                violation_error_message="That workstream already answers this driver.",
            ),
            models.UniqueConstraint(
                fields=["driver", "project"],
                condition=Q(project__isnull=False),
                name="driver_link_unique_project",
                violation_error_message="That project already answers this driver.",
            ),
        ]

    def __str__(self):
        return f"{self.item} → {self.driver}"


class Evidence(models.Model):
    """Evidence that a driver has been answered: words, a date, and a link or an uploaded file."""

    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="evidence")
    summary = models.TextField()
    provided_on = models.DateField()
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(storage=evidence_storage, upload_to=evidence_upload_to, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True, help_text="The uploaded file's own name.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["driver", "-provided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_by__isnull=False),
                name="evidence_accepted_by_someone",
                violation_error_message="Accepted evidence records who accepted it.",
            )
        ]

    def __str__(self):
        return f"Evidence for {self.driver}: {self.summary[:60]}"

    @property
    def accepted(self):
        return self.accepted_on is not None


# --- Business cases -------------------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    CONDITIONAL = "conditional", "Approved with conditions"
    DEFERRED = "deferred", "Deferred"
    REJECTED = "rejected", "Rejected"
    SUPERSEDED = "superseded", "Superseded by a later version"


FROZEN_CASE = {CaseStatus.APPROVED, CaseStatus.CONDITIONAL, CaseStatus.SUPERSEDED}


class BusinessCase(models.Model):
    """A case for a programme or a group of its workstreams. Approved, it is frozen; a change is a new version
    that starts unapproved."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="business_cases")
    workstreams = models.ManyToManyField(Workstream, blank=True, related_name="business_cases")
    title = models.CharField(max_length=200)
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    status = models.CharField(max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    scope = models.TextField(blank=True)
    timescales = models.TextField("high-level timescales", blank=True)
    benefits = models.TextField(blank=True)
    options = models.TextField("options considered", blank=True)
    resourcing = models.TextField(
        "resourcing asked for", blank=True, help_text="e.g. project, HR and IT posts, one line each."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(m2m_fields=[workstreams], bases=[EffectiveDated])

    class Meta:
        ordering = ["programme", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title", "version"],
                name="business_case_unique_version",
                violation_error_message="That version of this business case already exists.",
            )
        ]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return link("assurance:case", self.pk)

    @property
    def is_frozen(self):
        return self.status in FROZEN_CASE

    @property
    def total_funding(self):
        return sum((line.amount for line in self.funding.all()), 0)

    @property
    def sections(self):
        """The case's words, labelled, in the order a business case sets them out."""
        return [
            (self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
            for name in ("scope", "timescales", "benefits", "options", "resourcing")
        ]


class FundingKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


class FundingLine(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="funding")
    year = models.CharField(max_length=9, help_text="Financial year, e.g. 2022/23.")
    kind = models.CharField(max_length=10, choices=FundingKind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=0, validators=[MinValueValidator(0)])

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["case", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "year", "kind"],
                name="funding_line_unique",
                violation_error_message="One amount per year and kind.",
            )
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display().lower()}: £{self.amount:,}"


class CaseDecision(models.Model):
    """One step of a case's decision trail: submitted to a board, then its outcome."""

    case = models.ForeignKey(BusinessCase, on_delete=models.PROTECT, related_name="decisions")
    board = models.ForeignKey("reporting.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        max_length=12, choices=[c for c in CaseStatus.choices if c[0] not in ("draft", "superseded")]
    )
    on = models.DateField()
    by_name = models.CharField("decided by", max_length=120, blank=True, help_text="e.g. the Executive, or a name.")
    conditions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["case", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="conditional") | ~Q(conditions=""),
                name="case_decision_conditions_stated",
                violation_error_message="Approval with conditions states the conditions.",
            )
        ]

    def __str__(self):
        return f"{self.case}: {self.get_outcome_display()} on {day_text(self.on)}"


# --- Benefits ---------------------------------------------------------------------------------------------------


class BenefitKind(models.TextChoices):
    CASHABLE = "cashable", "Cashable saving"
    NON_CASHABLE = "non-cashable", "Non-cashable saving"
    HOURS = "hours", "Officer or staff hours released"
    QUALITY = "quality", "Quality or outcome measure"


class Benefit(ItemLinked):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=15, choices=BenefitKind.choices)
    unit = models.CharField(max_length=20, help_text="e.g. £, hours a year, %.")
    owner_name = models.CharField("owner", max_length=120, help_text="Who answers for realising it.")
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_on = models.DateField()
    target = models.DecimalField(max_digits=14, decimal_places=2)
    target_on = models.DateField()
    custom = models.JSONField(
        default=dict, blank=True, help_text="Values of the organisation's own fields (changeprog.custom_fields)."
    )

    history = HistoricalRecords(bases=[EffectiveDated])
    custom_record = "benefit"

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_ITEM,
                name="benefit_exactly_one_item",
                violation_error_message="A benefit belongs to one workstream or one project.",
            ),
            models.CheckConstraint(
                condition=Q(target_on__gt=models.F("baseline_on")),
                name="benefit_target_after_baseline",
                violation_error_message="The target date comes after the baseline date.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        check_values(self.custom_record, self.custom)


class BenefitMeasurement(models.Model):
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["benefit", "measured_on", "pk"]

    def __str__(self):
        return f"{self.benefit}: {self.value} on {day_text(self.measured_on)}"


# --- Embedding --------------------------------------------------------------------------------------------------


class EmbeddingStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Embedded"
    CANCELLED = "cancelled", "Cancelled"


class EmbeddingAction(ItemLinked):
    """What a business area does to embed closed change, so that "closed" does not mean forgotten."""

    description = models.TextField()
    owner_name = models.CharField("business owner", max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=EmbeddingStatus.choices, default=EmbeddingStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=ONE_ITEM,
                name="embedding_action_exactly_one_item",
                violation_error_message="An embedding action belongs to one workstream or one project.",
            ),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="embedding_done_has_date",
                violation_error_message="Say when it was embedded.",
            ),
        ]

    def __str__(self):
        return self.description[:80]


# --- Decisions ------------------------------------------------------------------------------------------------


class DecisionStatus(models.TextChoices):
    NEEDED = "needed", "Needed"
    MADE = "made", "Made"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Decision(models.Model):
    """A decision needed from, or made by, a board."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="decisions")
    board = models.ForeignKey("reporting.Board", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    owner_name = models.CharField("owner", max_length=120, blank=True)
    needed_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.NEEDED)
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    update = models.ForeignKey(
        "workstreams.StatusUpdate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The status update that asked for it.",
    )
    case_decision = models.OneToOneField(
        CaseDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="logged_as"
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["programme", "-decided_on", "needed_by", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="made") | Q(decided_on__isnull=False),
                name="decision_made_has_date",
                violation_error_message="A decision made has the date it was made.",
            )
        ]

    def __str__(self):
        return self.title
