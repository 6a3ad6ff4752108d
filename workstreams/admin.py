from django.contrib import admin
from django.db.models import Prefetch

from changeprog.admin_history import GovernedAdmin
from workstreams.models import (
    Programme,
    ProgrammeReview,
    Project,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusScale,
    StatusUpdate,
    Workstream,
)


class StatusLevelInline(admin.TabularInline):
    model = StatusLevel
    extra = 0
    fields = [
        "severity",
        "code",
        "label",
        "colour",
        "text_colour",
        "definition",
        "requires_reason",
        "means_complete",
    ]


@admin.register(StatusScale)
class StatusScaleAdmin(GovernedAdmin):
    list_display = ["name", "code", "level_labels"]
    search_fields = ["name", "code"]
    inlines = [StatusLevelInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description="Levels")
    def level_labels(self, scale):
        return ", ".join(level.label for level in scale.levels.all())


@admin.register(StatusLevel)
class StatusLevelAdmin(GovernedAdmin):
    list_display = ["label", "code", "scale", "severity", "colour", "requires_reason", "means_complete"]
    list_filter = ["scale", "requires_reason", "means_complete"]
    search_fields = ["label", "code", "definition"]
    list_select_related = ["scale"]


class StatusDimensionInline(admin.TabularInline):
    model = StatusDimension
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "scale",
        "applies_to_programme",
        "applies_to_workstreams",
        "applies_to_projects",
    ]


@admin.register(StatusDimension)
class StatusDimensionAdmin(GovernedAdmin):
    list_display = [
        "name",
        "code",
        "programme",
        "scale",
        "order",
        "applies_to_programme",
        "applies_to_workstreams",
        "applies_to_projects",
    ]
    list_filter = ["programme", "scale"]
    search_fields = ["name", "code"]
    list_select_related = ["programme", "scale"]


class WorkstreamInline(admin.TabularInline):
    model = Workstream
    extra = 0
    fields = ["order", "name", "lead", "lifecycle", "planned_closure_date"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(GovernedAdmin):
    list_display = ["code", "name", "organisation", "lifecycle", "manager", "start_date"]
    list_filter = ["lifecycle", "organisation"]
    search_fields = ["code", "name", "organisation", "description"]
    list_select_related = ["manager"]
    inlines = [StatusDimensionInline, WorkstreamInline]


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ["name", "manager", "lifecycle", "forecast_end_date"]
    show_change_link = True


PORTFOLIO_ITEM_FIELDSETS = (
    ("Dates", {"fields": ["start_date", "baseline_end_date", "forecast_end_date", "planned_closure_date"]}),
    ("Closure", {"fields": ["closed_on", "closure_note", "embedding_owner"]}),
    ("Why", {"fields": ["change_reason"]}),
)


@admin.register(Workstream)
class WorkstreamAdmin(GovernedAdmin):
    list_display = ["name", "programme", "lead", "lifecycle", "planned_closure_date", "closed_on"]
    list_filter = ["programme", "lifecycle", "national"]
    search_fields = ["name", "description", "closure_note", "embedding_owner"]
    list_select_related = ["programme", "lead"]
    autocomplete_fields = ["lead"]
    inlines = [ProjectInline]
    fieldsets = (
        (None, {"fields": ["programme", "name", "description", "lead", "lifecycle", "order", "national"]}),
        *PORTFOLIO_ITEM_FIELDSETS,
    )


@admin.register(Project)
class ProjectAdmin(GovernedAdmin):
    list_display = ["name", "workstream", "manager", "lifecycle", "forecast_end_date", "closed_on"]
    list_filter = ["workstream__programme", "workstream", "lifecycle", "national"]
    search_fields = ["name", "description", "closure_note", "embedding_owner"]
    list_select_related = ["workstream", "manager"]
    autocomplete_fields = ["manager"]
    fieldsets = (
        (None, {"fields": ["workstream", "name", "description", "manager", "lifecycle", "national"]}),
        *PORTFOLIO_ITEM_FIELDSETS,
    )


class StatusRatingInline(admin.TabularInline):
    model = StatusRating
    extra = 0
    fields = ["dimension", "level", "reason"]
    autocomplete_fields = ["level"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(GovernedAdmin):
    list_display = ["__str__", "as_of", "rating_summary", "author", "created_at"]
    list_filter = ["as_of", "programme", "workstream__programme"]
    search_fields = ["reason", "progress", "workstream__name", "project__name", "programme__name"]
    date_hierarchy = "as_of"
    list_select_related = ["programme", "workstream", "project", "author"]
    raw_id_fields = ["programme", "workstream", "project"]
    inlines = [StatusRatingInline]
    fieldsets = (
        ("Subject (exactly one)", {"fields": ["programme", "workstream", "project"]}),
        (
            None,
            {"fields": ["as_of", "reason", "progress", "next_steps", "issues", "decisions_needed", "author"]},
        ),
        ("Why", {"fields": ["change_reason"]}),
    )

    def get_queryset(self, request):
        ratings = StatusRating.objects.select_related("dimension", "level")
        return super().get_queryset(request).prefetch_related(Prefetch("ratings", queryset=ratings))

    @admin.display(description="Ratings")
    def rating_summary(self, update):
        return "; ".join(str(rating) for rating in update.ratings.all())


@admin.register(StatusRating)
class StatusRatingAdmin(GovernedAdmin):
    list_display = ["update", "dimension", "level", "reason"]
    list_filter = ["dimension__programme", "level__scale", "level"]
    search_fields = ["reason", "update__reason"]
    list_select_related = ["update__programme", "update__workstream", "update__project", "dimension", "level"]
    raw_id_fields = ["update"]


@admin.register(ProgrammeReview)
class ProgrammeReviewAdmin(GovernedAdmin):
    list_display = ["programme", "held_on", "performed_by", "created_at"]
    list_filter = ["programme"]
    search_fields = ["reason", "summary"]
    list_select_related = ["programme", "performed_by"]
    readonly_fields = ["summary"]
