"""Report templates, boards and reports in the admin. Administrators make new layouts here from data alone."""

from django.contrib import admin

from changeprog.admin_history import GovernedAdmin, RecordAdmin
from reporting.models import (
    Board,
    Challenge,
    PortfolioPaper,
    Report,
    ReportArtefact,
    ReportSection,
    ReportTemplate,
    TemplateSection,
)


class TemplateSectionInline(admin.StackedInline):
    model = TemplateSection
    extra = 0
    fields = [
        "order",
        "heading",
        "kind",
        "generator",
        "numbering",
        "continues",
        "columns",
        "prompt",
        "subheadings",
        "draft",
    ]


@admin.register(ReportTemplate)
class ReportTemplateAdmin(GovernedAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [TemplateSectionInline]


@admin.register(Board)
class BoardAdmin(GovernedAdmin):
    list_display = ["name", "template", "executive_officer"]
    list_select_related = ["template"]
    filter_horizontal = ["members"]


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0
    fields = ["order", "heading", "kind", "generator", "text"]


@admin.register(Report)
class ReportAdmin(GovernedAdmin):
    list_display = ["title", "board", "meeting_date", "status", "published_by", "published_at"]
    list_filter = ["board", "status"]
    list_select_related = ["board", "published_by"]
    inlines = [ReportSectionInline]

    def has_change_permission(self, request, obj=None):
        # A published report never changes, here or anywhere.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Nor is it deleted: it is superseded. A draft may be discarded.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ReportArtefact)
class ReportArtefactAdmin(RecordAdmin):
    """A published paper's stored outputs: seen here, never added, changed or deleted (publishing makes them)."""

    list_display = ["report", "format", "edition", "size", "sha256", "created_at"]
    list_filter = ["format", "edition"]
    list_select_related = ["report__board"]
    fields = ["report", "format", "edition", "size", "sha256", "created_at", "created_by"]
    readonly_fields = fields


@admin.register(PortfolioPaper)
class PortfolioPaperAdmin(RecordAdmin):
    """A portfolio's published summary papers: seen here, never added, changed or deleted (publishing makes them)."""

    list_display = ["title", "portfolio", "published_at", "published_by", "pdf_sha256"]
    list_filter = ["portfolio"]
    list_select_related = ["portfolio", "published_by"]
    fields = ["portfolio", "title", "addressed_to", "published_at", "published_by", "pdf_sha256", "docx_sha256"]
    readonly_fields = fields


@admin.register(Challenge)
class ChallengeAdmin(GovernedAdmin):
    """Challenges are recorded and answered on the paper's page; here they are read, and corrected with a reason."""

    list_display = ["minute_reference", "report", "raised_by", "answered_on"]
    list_select_related = ["report__board"]
    search_fields = ["minute_reference", "raised_by", "question"]
    readonly_fields = ["report", "recorded_by", "answered_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
