"""Risk schemes, project prioritisation, the risk register and dependencies.

A scheme (likelihood and impact scales, category descriptors, band grid, appetite) is data. A scheme that has
been used is never edited in place: a change makes a new version, and every assessment and risk keeps the
version it was scored with, so old scores read the same forever.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from changeprog.colours import check_text_contrast
from changeprog.custom_fields import check_values
from changeprog.effective import EffectiveDated, day_text
from changeprog.links import link
from workstreams.models import Programme, Project, Workstream, colour_validator


class Appetite(models.TextChoices):
    AVERSE = "averse", "Averse"
    MINIMAL = "minimal", "Minimal"
    CAUTIOUS = "cautious", "Cautious"
    OPEN = "open", "Open"
    EAGER = "eager", "Eager"


class RiskScheme(models.Model):
    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    description = models.TextField(blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    is_current = models.BooleanField(default=True, help_text="New assessments and risks use the current version.")
    # Prioritisation thresholds (docs/risk-defaults.md): data, so an organisation can set its own.
    major_impact = models.PositiveSmallIntegerField(default=4, help_text="Impact counted towards breadth.")
    red_peak = models.PositiveSmallIntegerField(default=15)
    red_mandatory_peak = models.PositiveSmallIntegerField(default=12)
    amber_peak = models.PositiveSmallIntegerField(default=8)
    red_breadth_percent = models.PositiveSmallIntegerField(
        default=50, validators=[MaxValueValidator(100)], help_text="Breadth (as % of categories) that makes Red."
    )
    horizon_years = models.PositiveSmallIntegerField(default=3, help_text="Planning horizon for 'not progressed'.")
    # Escalation defaults.
    project_escalation_score = models.PositiveSmallIntegerField(default=12)
    programme_escalation_score = models.PositiveSmallIntegerField(default=15)
    programme_escalation_impact = models.PositiveSmallIntegerField(default=4)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="risk_scheme_unique_version",
                violation_error_message="This scheme already has a version with that number.",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(is_current=True),
                name="risk_scheme_one_current_version",
                violation_error_message="Only one version of a scheme can be current.",
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class LikelihoodLevel(models.Model):
    scheme = models.ForeignKey(RiskScheme, on_delete=models.CASCADE, related_name="likelihood_levels")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    label = models.CharField(max_length=40)
    descriptor = models.TextField(blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["scheme", "score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "score"],
                name="likelihood_unique_score",
                violation_error_message="A scheme has one likelihood level per score.",
            )
        ]

    def __str__(self):
        return f"{self.score} {self.label}"


class ImpactLevel(models.Model):
    scheme = models.ForeignKey(RiskScheme, on_delete=models.CASCADE, related_name="impact_levels")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    label = models.CharField(max_length=40)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["scheme", "score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "score"],
                name="impact_unique_score",
                violation_error_message="A scheme has one impact level per score.",
            )
        ]

    def __str__(self):
        return f"{self.score} {self.label}"


class RiskBand(models.Model):
    scheme = models.ForeignKey(RiskScheme, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=40)
    colour = models.CharField(max_length=7, validators=[colour_validator])
    text_colour = models.CharField(max_length=7, validators=[colour_validator], default="#FFFFFF")
    severity = models.PositiveSmallIntegerField(help_text="Higher is worse.")
    review_interval_days = models.PositiveSmallIntegerField(help_text="How often a risk in this band is reviewed.")
    meaning = models.TextField(blank=True)
    three_band_name = models.CharField(
        max_length=40, blank=True, help_text="Name in the three-band view (e.g. Yellow and Green as Green/Yellow)."
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["scheme", "-severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="risk_band_unique_code",
                violation_error_message="A scheme has one band per code.",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        check_text_contrast(self.colour, self.text_colour)


class BandCell(models.Model):
    """One cell of the grid: likelihood × impact → band. A lookup, so a single cell can be recoloured."""

    scheme = models.ForeignKey(RiskScheme, on_delete=models.CASCADE, related_name="cells")
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    band = models.ForeignKey(RiskBand, on_delete=models.PROTECT, related_name="cells")

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["scheme", "likelihood", "impact"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "likelihood", "impact"],
                name="band_cell_unique",
                violation_error_message="The grid has one band per likelihood and impact.",
            )
        ]

    def __str__(self):
        return f"L{self.likelihood} × I{self.impact} → {self.band}"


class RiskCategory(models.Model):
    scheme = models.ForeignKey(RiskScheme, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(
        max_digits=6, decimal_places=3, default=1, help_text="Relative weight; weights are normalised to sum to 1."
    )
    appetite = models.CharField(max_length=10, choices=Appetite.choices, default=Appetite.CAUTIOUS)
    tolerance = models.PositiveSmallIntegerField(help_text="The highest acceptable current score.")
    escalates_on_major_impact = models.BooleanField(
        default=False, help_text="A programme risk with a major impact here is proposed for the corporate register."
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["scheme", "order", "name"]
        verbose_name_plural = "risk categories"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="risk_category_unique_code",
                violation_error_message="A scheme has one category per code.",
            )
        ]

    def __str__(self):
        return self.name


class ImpactDescriptor(models.Model):
    category = models.ForeignKey(RiskCategory, on_delete=models.CASCADE, related_name="descriptors")
    impact = models.PositiveSmallIntegerField()
    text = models.TextField()

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["category", "impact"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "impact"],
                name="impact_descriptor_unique",
                violation_error_message="A category has one descriptor per impact level.",
            )
        ]

    def __str__(self):
        return f"{self.category}: {self.impact}"


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PriorityAssessment(models.Model):
    """How much it would matter if a project were not progressed. Re-assessments are new rows."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="priority_assessments")
    scheme = models.ForeignKey(RiskScheme, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField(help_text="That the consequences materialise if not progressed.")
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    mandatory = models.BooleanField(default=False, help_text="A legal or regulatory deadline applies.")
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["project", "-assessed_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "-assessed_on", "-created_at"], name="assessment_latest")]

    def __str__(self):
        return f"{self.project} assessed {day_text(self.assessed_on)}"

    def get_absolute_url(self):
        return reverse("risks:ranking", args=[self.project.workstream.programme_id])


class PriorityImpact(models.Model):
    assessment = models.ForeignKey(PriorityAssessment, on_delete=models.CASCADE, related_name="impacts")
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="+")
    impact = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)], help_text="0 = none.")
    rationale = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["assessment", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "category"],
                name="priority_impact_one_per_category",
                violation_error_message="An assessment scores each category once.",
            )
        ]

    def __str__(self):
        return f"{self.category}: {self.impact}"


class RegisterLevel(models.TextChoices):
    CORPORATE = "corporate", "Corporate"
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Project"


class Register(models.Model):
    """A risk register: the organisation's corporate register, or one belonging to a programme or a project."""

    level = models.CharField(max_length=10, choices=RegisterLevel.choices)
    code = models.SlugField(max_length=30, unique=True, help_text="Prefix of its risks' references, e.g. T2025.")
    name = models.CharField(max_length=200)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="registers")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="registers")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Accepts or returns risks escalated to this register.",
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="corporate", programme__isnull=True, project__isnull=True)
                    | Q(level="programme", programme__isnull=False, project__isnull=True)
                    | Q(level="project", project__isnull=False)
                ),
                name="register_level_matches_owner",
                violation_error_message=(
                    "A corporate register belongs to no programme; a programme register to a programme; "
                    "a project register to a project."
                ),
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(level="programme"),
                name="register_one_per_programme",
                violation_error_message="A programme has one programme register.",
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(level="project"),
                name="register_one_per_project",
                violation_error_message="A project has one project register.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('risks:register_list')}?register={self.pk}"


class Response(models.TextChoices):
    TOLERATE = "tolerate", "Tolerate"
    TREAT = "treat", "Treat"
    TRANSFER = "transfer", "Transfer"
    TERMINATE = "terminate", "Terminate"


class Proximity(models.TextChoices):
    NOW = "now", "Happening now"
    WITHIN_3_MONTHS = "3m", "Within 3 months"
    WITHIN_12_MONTHS = "12m", "3 to 12 months"
    LATER = "later", "More than 12 months"


# A risk's three scores, each a likelihood × impact: as the heat map, the register's filter and the counts name them.
SCORE_CHOICES = [("current", "Current"), ("inherent", "Inherent"), ("target", "Target")]


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def risk_reference(register_code: str, number: int) -> str:
    """How a risk is named wherever it is shown: its register's code and its number there (CORP-R007)."""
    return f"{register_code}-R{number:03d}"


class Risk(models.Model):
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="risks")
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200)
    cause = models.TextField(blank=True, help_text="Because of …")
    event = models.TextField(blank=True, help_text="… there is a risk that …")
    effect = models.TextField(blank=True, help_text="… which would lead to …")
    scheme = models.ForeignKey(RiskScheme, on_delete=models.PROTECT, related_name="risks")
    category = models.ForeignKey(RiskCategory, on_delete=models.PROTECT, related_name="risks")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    workstream = models.ForeignKey(Workstream, null=True, blank=True, on_delete=models.PROTECT, related_name="risks")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="risks")
    inherent_likelihood = models.PositiveSmallIntegerField("inherent likelihood")
    inherent_impact = models.PositiveSmallIntegerField("inherent impact")
    current_likelihood = models.PositiveSmallIntegerField("current likelihood")
    current_impact = models.PositiveSmallIntegerField("current impact")
    target_likelihood = models.PositiveSmallIntegerField("target likelihood")
    target_impact = models.PositiveSmallIntegerField("target impact")
    target_date = models.DateField(null=True, blank=True)
    proximity = models.CharField(max_length=10, choices=Proximity.choices, blank=True)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.TREAT)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_reason = models.TextField(blank=True)
    raised_on = models.DateField(default=timezone.localdate)
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True, editable=False)
    # The current score as it stood before the latest review, so the register can show direction of travel.
    before_review_likelihood = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    before_review_impact = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    contributes_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributors",
        help_text="The higher-level risk this one was escalated to and linked with.",
    )
    custom = models.JSONField(
        default=dict, blank=True, help_text="Values of the organisation's own fields (changeprog.custom_fields)."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[EffectiveDated])
    custom_record = "risk"

    class Meta:
        ordering = ["register_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"],
                name="risk_unique_number_in_register",
                violation_error_message="Two risks in a register cannot share a number.",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(closed_reason=""),
                name="risk_closed_with_reason",
                violation_error_message="A closed risk needs the reason it was closed.",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"], name="risk_review_due")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return link("risks:risk", self.pk)

    @property
    def reference(self):
        return risk_reference(self.register.code, self.number)

    def clean(self):
        check_values(self.custom_record, self.custom)

    def score(self, which: str) -> int:
        return getattr(self, f"{which}_likelihood") * getattr(self, f"{which}_impact")

    @property
    def inherent_score(self):
        return self.score("inherent")

    @property
    def current_score(self):
        return self.score("current")

    @property
    def target_score(self):
        return self.score("target")

    @property
    def direction(self) -> str:
        """Since the last review: "worse", "better", "same", or "" when it has not been reviewed twice."""
        if self.before_review_likelihood is None:
            return ""
        before = self.before_review_likelihood * self.before_review_impact
        return "same" if before == self.current_score else "worse" if self.current_score > before else "better"


class OpenRiskCell(models.Model):
    """How many open risks of a register sit in one likelihood × impact cell of one of their three scores.

    Kept by the database itself (triggers on the risks table, migration 0010), so every way a risk is written (the
    forms, the importer, the admin, a bulk update, a restore) keeps it true, inside the same transaction. The heat
    map reads it instead of counting every open risk, so it costs the same however many risks there are. Django
    writes it only to rebuild it (`manage.py recount_open_risks`, `risks.cells`); a cell whose risks have all moved
    keeps its row with a count of nought.
    """

    SCORES = tuple(value for value, _ in SCORE_CHOICES)

    register = models.ForeignKey(
        Register, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", editable=False
    )
    score = models.CharField(max_length=10, editable=False)
    likelihood = models.PositiveSmallIntegerField(editable=False)
    impact = models.PositiveSmallIntegerField(editable=False)
    open_risks = models.IntegerField(default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["register", "score", "likelihood", "impact"], name="open_risk_cell_unique")
        ]

    def __str__(self):
        return f"{self.register_id} {self.score} {self.likelihood}×{self.impact}: {self.open_risks}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class RiskAction(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["risk", "due_date", "pk"]

    def __str__(self):
        return self.description[:60]


class EscalationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class Escalation(models.Model):
    """A proposal to carry a risk to a higher register, and the receiving owner's decision."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="escalations")
    to_register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="escalations_received")
    reason = models.TextField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=EscalationStatus.choices, default=EscalationStatus.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    linked_risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations_linked"
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["risk"],
                condition=Q(status="proposed"),
                name="escalation_one_open_per_risk",
                violation_error_message="This risk already has an escalation waiting for a decision.",
            )
        ]

    def __str__(self):
        return f"{self.risk.reference} to {self.to_register}"

    def get_absolute_url(self):
        return self.risk.get_absolute_url()


class DependencyKind(models.TextChoices):
    DELIVERABLE = "deliverable", "Needs a deliverable"
    RESOURCE = "resource", "Shares a resource"
    TECHNICAL = "technical", "Technical"
    DECISION = "decision", "Needs a decision"
    FUNDING = "funding", "Needs funding"


class ExternalKind(models.TextChoices):
    NATIONAL = "national", "National programme"
    FORCE = "force", "Another force"
    SUPPLIER = "supplier", "Supplier"
    PARTNER = "partner", "Partner agency"
    OTHER = "other", "Other"


class DependencyStatus(models.TextChoices):
    OPEN = "open", "Open"
    AT_RISK = "at-risk", "At risk"
    MET = "met", "Met"
    CLOSED = "closed", "Closed"


class Dependency(models.Model):
    """What a project needs from another project, or from something outside the programme."""

    from_project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="dependencies")
    to_project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="dependents")
    external_name = models.CharField(max_length=200, blank=True, help_text="e.g. a national programme or supplier.")
    external_kind = models.CharField(max_length=10, choices=ExternalKind.choices, blank=True)
    kind = models.CharField(max_length=12, choices=DependencyKind.choices, default=DependencyKind.DELIVERABLE)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=DependencyStatus.choices, default=DependencyStatus.OPEN)
    needed_by = models.DateField(null=True, blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["from_project", "needed_by", "pk"]
        verbose_name_plural = "dependencies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_project__isnull=False) & Q(external_name=""))
                | (Q(to_project__isnull=True) & ~Q(external_name="")),
                name="dependency_on_exactly_one_thing",
                violation_error_message="A dependency is on another project or on something outside, not both.",
            ),
            models.CheckConstraint(
                condition=~Q(from_project=models.F("to_project")),
                name="dependency_not_on_itself",
                violation_error_message="A project cannot depend on itself.",
            ),
        ]

    def __str__(self):
        return f"{self.from_project} needs {self.to_project or self.external_name}"
