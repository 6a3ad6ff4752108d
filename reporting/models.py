"""Boards, their report templates, and reports: drafts the office edits, and published, frozen snapshots.

A template is data: an ordered list of sections, each narrative (written by the office, with a prompt and a
suggested draft) or generated (drawn from the portfolio as at the report's date). Publishing stores the whole
rendered document as JSON; a published report is only ever shown from that snapshot.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from changeprog.effective import EffectiveDated
from changeprog.links import link
from workstreams.models import Programme, ReportingCadence


class ReportTemplate(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SectionKind(models.TextChoices):
    NARRATIVE = "narrative", "Narrative (written by the office)"
    GENERATED = "generated", "Generated from the data"


class Generator(models.TextChoices):
    PROGRAMME_STATUS = "programme-status", "Programme status per dimension"
    WORKSTREAM_UPDATES = "workstream-updates", "Workstream updates"
    STATUS_TABLE = "status-table", "Last period and this period, per dimension"
    CHANGES = "changes", "What changed since the comparison date"
    PRIORITISATION = "prioritisation", "Prioritisation summary"
    RISK_SUMMARY = "risk-summary", "Risk summary"
    STRUCTURE = "structure", "Programme structure before and after a review"
    STRUCTURE_BEFORE = "structure-before", "Picture: the programme as at the comparison date"
    STRUCTURE_AFTER = "structure-after", "Picture: the programme as at the report's date"
    NEXT_STEPS = "next-steps", "The programme's next steps"
    DRIVERS = "drivers", "Drivers and evidence"
    BUSINESS_CASES = "business-cases", "Business case status"
    BENEFITS = "benefits", "Benefits: planned against realised"
    EMBEDDING = "embedding", "Embedding after closure"
    DECISIONS = "decisions", "Decisions needed and made"
    STATUS_KEY = "status-key", "Status key"
    STATUS_COUNTS = "status-counts", "Counts of open work by status, per dimension"
    PROJECTS_TABLE = "projects-table", "Table of open projects (columns chosen below)"
    TOP_RISKS = "top-risks", "Top risks with their scores and direction"
    CHALLENGES = "challenges", "Matters arising: the board's challenges of the last paper, and the answers"
    RULE_DIFFERENCES = "rule-differences", "Ratings that differ from their rule, with the reasons"
    FINANCE = "finance", "Finance position and implications"
    MILESTONES = "milestones", "Milestones achieved, overdue and due next"
    ROADMAP = "roadmap", "Picture: the roadmap, with its table"


class Numbering(models.TextChoices):
    DECIMAL = "decimal", "1, 1.1 …"
    LETTER = "letter", "A., A.1 …"
    NONE = "none", "Not numbered"


class TemplateSection(models.Model):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=SectionKind.choices)
    generator = models.CharField(max_length=30, choices=Generator.choices, blank=True)
    prompt = models.TextField(blank=True, help_text="Guidance for the office when writing this section.")
    subheadings = models.TextField(
        blank=True, help_text="One per line: each starts a numbered paragraph with that heading (e.g. Finance)."
    )
    numbering = models.CharField(
        max_length=8,
        choices=Numbering.choices,
        default=Numbering.DECIMAL,
        help_text="How this section and its paragraphs are numbered: 1 and 1.1 (counting the numbered sections), "
        "A. and A.1 (counting the lettered ones, e.g. a Recommendations section before section 1), or not at all.",
    )
    columns = models.TextField(
        blank=True,
        help_text="For a table of projects, its columns, one per line: name, workstream, lead, lifecycle, reason, "
        "a dimension's code (its rating, e.g. overall), or any project field (start_date, forecast_end_date …).",
    )
    continues = models.BooleanField(
        default=False,
        help_text=(
            "Carry on the section before: no heading of its own, and its paragraphs carry on that section's "
            "numbering (e.g. a picture, then more paragraphs, within one numbered section)."
        ),
    )
    draft = models.TextField(
        blank=True,
        help_text=(
            "A suggested draft for a narrative section; paragraphs separated by a blank line, a line starting "
            "with · or - is a bullet. May use {programme}, {organisation}, {board}, {meeting}, {comparison}, "
            "{overall}, {overall_reason}, {closed} (workstreams closed since the comparison date) and {opened} "
            "(one bullet per workstream opened since, with its description)."
        ),
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "order"],
                name="template_section_unique_order",
                violation_error_message="Two sections of a template cannot share a position.",
            ),
            models.CheckConstraint(
                condition=Q(kind="narrative", generator="") | Q(kind="generated") & ~Q(generator=""),
                name="template_section_generator_matches_kind",
                violation_error_message="A generated section names what it is generated from; a narrative one does not.",
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.heading}"

    def clean(self):
        """A table's columns must be ones it can show: a named column, a dimension's code, the code of one of
        the projects' own fields, or a project field."""
        from changeprog.models import CustomField
        from reporting.sections.programme import PROJECT_COLUMNS
        from workstreams.models import Project, StatusDimension

        names = [line.strip() for line in self.columns.splitlines() if line.strip()]
        fields = {f.name for f in Project._meta.get_fields() if not f.is_relation or f.many_to_one}
        codes = set(StatusDimension.objects.values_list("code", flat=True)) if names else set()
        if names:
            codes |= set(CustomField.objects.filter(record="project").values_list("code", flat=True))
        unknown = [n for n in names if n not in PROJECT_COLUMNS and n not in fields and n not in codes]
        if unknown:
            raise ValidationError(
                {
                    "columns": f"Not a column a projects table can show: {', '.join(unknown)}. Use "
                    f"{', '.join(PROJECT_COLUMNS)}, a dimension's code, the code of a project's own field, or a "
                    "project field."
                }
            )

    @property
    def subheading_list(self):
        return [line.strip() for line in self.subheadings.splitlines() if line.strip()]

    @property
    def column_list(self):
        return [line.strip() for line in self.columns.splitlines() if line.strip()]


class Board(models.Model):
    """A board or committee that receives reports, e.g. the Audit Committee or the Force Change Board."""

    name = models.CharField(max_length=100, unique=True)
    template = models.ForeignKey(ReportTemplate, on_delete=models.PROTECT, related_name="boards")
    addressed_to = models.CharField(
        max_length=300, blank=True, help_text="e.g. Report of the Chief Constable to the Chair and Members of …"
    )
    executive_officer = models.CharField(max_length=100, blank=True)
    cadence = models.ForeignKey(
        ReportingCadence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="How often items must report before this board's meetings; empty for each programme's own. "
        "The publish gate checks the last whole period before the meeting.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="boards",
        help_text="Who sits on it: they see the decisions asked of it on My work and hear when a paper is published.",
    )

    history = HistoricalRecords(bases=[EffectiveDated], m2m_fields=[members])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("reporting:board", self.pk)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class Decision(models.TextChoices):
    INFORMATION = "information", "For Information"
    DECISION = "decision", "For Decision"


class Report(models.Model):
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reports")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(max_length=200)
    meeting_date = models.DateField(help_text="The report shows the portfolio as at this date.")
    comparison_date = models.DateField(
        null=True, blank=True, help_text="What changed is measured from here (default: the board's previous report)."
    )
    for_decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.INFORMATION)
    addressed_to = models.CharField(max_length=300, blank=True)
    executive_officer = models.CharField(max_length=100, blank=True)
    officer_name = models.CharField(max_length=100, blank=True, help_text="Who signs the report.")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    snapshot = models.JSONField(null=True, blank=True, editable=False, help_text="The document as published.")
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="1 for the first paper for a meeting; each superseding one adds 1.",
    )
    quality_acknowledged = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The data-quality findings the office acknowledged when it published: code, title, count, items.",
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["board", "-meeting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False),
                name="report_published_has_snapshot",
                violation_error_message="A published report keeps the snapshot of what it showed.",
            ),
            models.UniqueConstraint(
                fields=["board", "programme", "meeting_date"],
                condition=Q(status="published"),
                name="report_one_published_per_meeting",
                violation_error_message="A paper for this board's meeting is already published; supersede it instead.",
            ),
        ]

    def __str__(self):
        return f"{self.board}: {self.title} ({self.meeting_date:%B %Y})"

    def get_absolute_url(self):
        return link("reporting:report", self.pk)

    @property
    def is_frozen(self):
        return self.status != ReportStatus.DRAFT


class ReportSection(models.Model):
    """A report's own copy of a template section, with the office's words for narrative sections."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=SectionKind.choices)
    generator = models.CharField(max_length=30, choices=Generator.choices, blank=True)
    prompt = models.TextField(blank=True)
    subheadings = models.TextField(blank=True)
    numbering = models.CharField(max_length=8, choices=Numbering.choices, default=Numbering.DECIMAL)
    columns = models.TextField(blank=True)
    continues = models.BooleanField(default=False)
    text = models.TextField(
        blank=True, help_text="Paragraphs separated by a blank line; with subheadings, one paragraph per subheading."
    )

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "order"],
                name="report_section_unique_order",
                violation_error_message="Two sections of a report cannot share a position.",
            )
        ]

    def __str__(self):
        return self.heading

    @property
    def subheading_list(self):
        return [line.strip() for line in self.subheadings.splitlines() if line.strip()]

    @property
    def column_list(self):
        return [line.strip() for line in self.columns.splitlines() if line.strip()]


class ArtefactFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    PPTX = "pptx", "PowerPoint"


class Edition(models.TextChoices):
    ISSUED = "issued", "As issued"
    SUPERSEDED = "superseded", "Marked superseded"


class ReportArtefact(models.Model):
    """A published paper's output, rendered once and kept: the bytes every download serves, with their SHA-256.
    Never changed or deleted; a superseded paper gains a second edition that says so on every page."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="artefacts")
    format = models.CharField(max_length=4, choices=ArtefactFormat.choices)
    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.ISSUED)
    content = models.BinaryField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["report", "format", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "format", "edition"],
                name="report_artefact_one_per_edition",
                violation_error_message="This output of the paper is already stored.",
            )
        ]

    def __str__(self):
        return f"{self.report} – {self.get_format_display()} ({self.get_edition_display().lower()})"


class Challenge(models.Model):
    """A committee's challenge of a published paper, as its minutes record it, and the programme office's answer.
    The paper itself never changes; the challenge stands beside it, in its history, and the next paper to the
    same board can carry it and its answer as a matter arising (the `challenges` section)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.CharField(
        max_length=200, help_text="Who asked, as the minutes name them, e.g. Cllr J Smith (Chair)."
    )
    minute_reference = models.CharField(max_length=60, help_text="The minute that records it, e.g. AC 22/45.")
    question = models.TextField(help_text="The challenge, in the committee's words.")
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(bases=[EffectiveDated])

    class Meta:
        ordering = ["report", "minute_reference", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_on__isnull=True) | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="challenge_answer_has_date",
                violation_error_message="An answer has the date it was given, and a date has an answer.",
            )
        ]

    def __str__(self):
        return f"{self.minute_reference}: {self.question[:60]}"

    @property
    def answered(self) -> bool:
        return bool(self.answer)


class PortfolioPaper(models.Model):
    """A portfolio's summary paper as published: what it said (its snapshot) and its PDF and Word, rendered once
    with their SHA-256 and served as those bytes ever after. Never changed or deleted."""

    portfolio = models.ForeignKey("workstreams.Portfolio", on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=200, editable=False)
    addressed_to = models.CharField(max_length=300, blank=True, editable=False)
    snapshot = models.JSONField(editable=False, help_text="The document as published.")
    pdf = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField(max_length=64, editable=False)
    docx = models.BinaryField(editable=False)
    docx_sha256 = models.CharField(max_length=64, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["portfolio", "-published_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.published_at):%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("A published paper never changes.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reporting:portfolio_papers", args=[self.portfolio_id])

    def delete(self, *args, **kwargs):
        raise ValidationError("A published paper is kept for good.")
