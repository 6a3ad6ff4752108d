from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from changeprog.admin_history import ChangeReasonForm, CustomFieldsAdmin, GovernedAdmin, RecordAdmin
from changeprog.forms import DATE_WIDGET
from workstreams import services
from workstreams.models import (
    ImportBatch,
    LevelMapping,
    Milestone,
    Portfolio,
    PortfolioStatus,
    Programme,
    ProgrammeReview,
    Project,
    ReportingCadence,
    Stage,
    StatusDimension,
    StatusLevel,
    StatusRating,
    StatusRule,
    StatusScale,
    StatusUpdate,
    Workstream,
)

LEVEL_FIELDS = [
    "severity",
    "code",
    "label",
    "colour",
    "text_colour",
    "definition",
    "is_rating",
    "requires_reason",
    "means_complete",
    "aliases",
]


class StatusLevelInline(admin.TabularInline):
    """A scale's levels. Once the scale has rated anything they are read-only here (aliases apart, on each
    level's own page): "Make a new version" copies the scale into one that can be changed."""

    model = StatusLevel
    extra = 0
    fields = LEVEL_FIELDS

    def _in_use(self, obj):
        return obj is not None and services.scale_in_use(obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(StatusScale)
class StatusScaleAdmin(GovernedAdmin):
    list_display = ["name", "code", "version", "is_current", "level_labels"]
    list_filter = ["is_current"]
    search_fields = ["name", "code"]
    readonly_fields = ["version", "previous", "is_current"]
    inlines = [StatusLevelInline]
    actions = ["make_new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("levels")

    @admin.display(description="Levels")
    def level_labels(self, scale):
        return ", ".join(level.label for level in scale.levels.all())

    def has_change_permission(self, request, obj=None):
        # A scale that has rated anything never changes in place; every rating keeps the level it was given.
        if obj is not None and services.scale_in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Make a new version of the selected scales (dimensions move to it from today)")
    def make_new_version(self, request, queryset):
        for scale in queryset:
            try:
                copy = services.scale_change(
                    scale=scale, by=request.user, reason="New version made in the admin", new_version=True
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"Made {copy}; it is current and can be changed, and its dimensions use it.")


class LevelForm(ChangeReasonForm):
    class Meta:
        model = StatusLevel
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        scale = cleaned.get("scale")
        if self.instance.pk is None and scale is not None and services.scale_in_use(scale):
            raise ValidationError(
                f"{scale} has rated items; add the level to a new version of it (Make a new version)."
            )
        return cleaned


@admin.register(StatusLevel)
class StatusLevelAdmin(GovernedAdmin):
    list_display = ["label", "code", "scale", "severity", "colour", "is_rating", "requires_reason", "means_complete"]
    list_filter = ["scale", "is_rating", "requires_reason", "means_complete"]
    search_fields = ["label", "code", "definition"]
    list_select_related = ["scale"]
    fields = ["scale", *LEVEL_FIELDS, "change_reason"]

    def get_readonly_fields(self, request, obj=None):
        # On a scale in use only the aliases (which help an import find the level) may change.
        if obj is not None and services.scale_in_use(obj.scale):
            return ["scale", *StatusLevel.VERSIONED_FIELDS]
        return []

    form = LevelForm


@admin.register(LevelMapping)
class LevelMappingAdmin(GovernedAdmin):
    """Declared equivalences between levels of different scales, so movements across a scale change read
    better or worse instead of "scale changed"."""

    list_display = ["from_level", "to_level"]
    list_filter = ["to_scale"]
    list_select_related = ["from_level__scale", "to_level__scale"]
    autocomplete_fields = ["from_level", "to_level"]


class DimensionForm(ChangeReasonForm):
    scale_effective_from = forms.DateField(
        label="New scale in force from",
        required=False,
        widget=DATE_WIDGET,
        help_text="When the scale changes: the day ratings start to use the new one (empty: today). Ratings dated "
        "before keep their levels on the old scale.",
    )

    class Meta:
        model = StatusDimension
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        scale = cleaned.get("scale")
        if self.instance.pk and scale and scale.pk != self.instance.scale_id:
            day = cleaned.get("scale_effective_from") or timezone.localdate()
            try:
                services.check_dimension_scale(dimension=self.instance, scale=scale, day=day)
            except ValidationError as error:
                self.add_error("scale_effective_from", error.message_dict.get("scale", error.messages))
        return cleaned


class StatusDimensionInline(admin.TabularInline):
    """A programme's dimensions at a glance; each is changed on its own page, where a change of scale takes
    its effective date."""

    model = StatusDimension
    extra = 0
    fields = ["order", "code", "name", "scale", "applies_to_programme", "applies_to_workstreams", "applies_to_projects"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StatusDimension)
class StatusDimensionAdmin(GovernedAdmin):
    form = DimensionForm
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

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        if change and "scale" in form.changed_data:
            services.dimension_set_scale(
                dimension=obj,
                scale=obj.scale,
                by=request.user,
                reason=reason,
                effective=form.cleaned_data.get("scale_effective_from"),
            )
            return
        super().save_model(request, obj, form, change)


@admin.register(ReportingCadence)
class ReportingCadenceAdmin(GovernedAdmin):
    list_display = ["name", "kind", "every_weeks", "anchor", "deadline_days", "is_default"]


@admin.register(ImportBatch)
class ImportBatchAdmin(RecordAdmin):
    """Imports are a record of what happened: read only."""

    list_display = ["pk", "file_name", "imported_by", "imported_at", "first_date", "last_date"]
    readonly_fields = ["file_name", "checksum", "imported_by", "imported_at", "counts", "first_date", "last_date"]
    search_fields = ["file_name", "checksum"]


class ReadOnlyInline(admin.TabularInline):
    """Shows an object's parts; each is changed on its own page, through the same services the app uses."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkstreamInline(ReadOnlyInline):
    model = Workstream
    fields = ["order", "name", "lead", "lifecycle", "planned_closure_date"]


class PortfolioAdmin(CustomFieldsAdmin, GovernedAdmin):
    """Programmes, workstreams and projects in the admin obey the app's rules: they are created and edited
    through the same services (defaults, reasons, history, the agreed baseline); lifecycle changes, re-plans and
    moves are shown read only and made on the item's page; nothing is deleted (items close instead)."""

    service_fields: list[str] = []  # what the admin may change (services.EDITABLE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        model_fields = [f.name for f in self.model._meta.concrete_fields if f.editable and not f.primary_key]
        if obj is None:
            return [
                name for name in ["lifecycle", "forecast_end_date", "closed_on", "closure_note"] if name in model_fields
            ]
        editable = set(services.EDITABLE_FIELDS[self.model])
        if obj.baseline_end_date:
            editable.discard("baseline_end_date")  # agreed: a re-plan changes the forecast instead
        return [name for name in model_fields if name not in editable]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["change_reason"]
        if change:
            original = type(obj).objects.get(pk=obj.pk)
            changes = {
                name: getattr(obj, name) for name in form.changed_data if name in services.EDITABLE_FIELDS[self.model]
            }
            changes.update(form.custom_changes())
            saved = services.item_update(item=original, changes=changes, by=request.user, reason=reason)
        else:
            saved = self.create(obj, request.user, reason)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Programme)
class ProgrammeAdmin(PortfolioAdmin):
    list_display = ["code", "name", "organisation", "lifecycle", "manager", "start_date", "cadence"]
    list_filter = ["lifecycle", "organisation"]
    search_fields = ["code", "name", "organisation", "description"]
    list_select_related = ["manager"]
    inlines = [StatusDimensionInline, WorkstreamInline]

    def create(self, obj, by, reason):
        # The same defaults as the app: the organisation's status dimensions copied onto the new programme.
        return services.programme_create(
            code=obj.code,
            name=obj.name,
            organisation=obj.organisation,
            description=obj.description,
            manager=obj.manager,
            start_date=obj.start_date,
            baseline_end_date=obj.baseline_end_date,
            cadence=obj.cadence,
            stage=obj.stage,
            portfolio=obj.portfolio,
            custom=obj.custom,
            by=by,
            reason=reason,
        )


class ProjectInline(ReadOnlyInline):
    model = Project
    fields = ["name", "manager", "lifecycle", "forecast_end_date"]


PORTFOLIO_ITEM_FIELDSETS = (
    ("Dates", {"fields": ["start_date", "baseline_end_date", "forecast_end_date", "planned_closure_date"]}),
    ("Closure", {"fields": ["closed_on", "closure_note", "embedding_owner"]}),
    ("Why", {"fields": ["change_reason"]}),
)

ITEM_CREATE_FIELDS = [
    "name",
    "stage",
    "description",
    "national",
    "start_date",
    "baseline_end_date",
    "planned_closure_date",
    "custom",
]


@admin.register(Workstream)
class WorkstreamAdmin(PortfolioAdmin):
    list_display = ["name", "programme", "lead", "lifecycle", "planned_closure_date", "closed_on"]
    list_filter = ["programme", "lifecycle", "national"]
    search_fields = ["name", "description", "closure_note", "embedding_owner"]
    list_select_related = ["programme", "lead"]
    autocomplete_fields = ["lead"]
    inlines = [ProjectInline]
    fieldsets = (
        (None, {"fields": ["programme", "name", "description", "lead", "lifecycle", "stage", "order", "national"]}),
        *PORTFOLIO_ITEM_FIELDSETS,
    )

    def create(self, obj, by, reason):
        fields = {name: getattr(obj, name) for name in ITEM_CREATE_FIELDS}
        return services.workstream_create(
            programme=obj.programme, lead=obj.lead, order=obj.order, by=by, reason=reason, **fields
        )


@admin.register(Project)
class ProjectAdmin(PortfolioAdmin):
    list_display = ["name", "workstream", "manager", "lifecycle", "forecast_end_date", "closed_on"]
    list_filter = ["workstream__programme", "workstream", "lifecycle", "national"]
    search_fields = ["name", "description", "closure_note", "embedding_owner"]
    list_select_related = ["workstream", "manager"]
    autocomplete_fields = ["manager"]
    fieldsets = (
        (None, {"fields": ["workstream", "name", "description", "manager", "lifecycle", "stage", "national"]}),
        *PORTFOLIO_ITEM_FIELDSETS,
    )

    def create(self, obj, by, reason):
        fields = {name: getattr(obj, name) for name in ITEM_CREATE_FIELDS}
        return services.project_create(workstream=obj.workstream, manager=obj.manager, by=by, reason=reason, **fields)


class StatusRatingInline(admin.TabularInline):
    model = StatusRating
    extra = 0
    fields = ["dimension", "level", "reason"]
    autocomplete_fields = ["level"]


class NoAddNoDelete:
    """Recorded facts: recorded on the app's pages (with their rules) and corrected with a reason, never deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusUpdate)
class StatusUpdateAdmin(NoAddNoDelete, GovernedAdmin):
    list_display = ["__str__", "as_of", "rating_summary", "author", "created_at"]
    list_filter = ["as_of", "programme", "workstream__programme"]
    search_fields = ["reason", "progress", "workstream__name", "project__name", "programme__name"]
    # No date hierarchy (it reads every update's date to offer the years): the date filter offers the same ranges.
    # The newest-first index serves the page itself; the count is capped (GovernedAdmin).
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
class StatusRatingAdmin(NoAddNoDelete, GovernedAdmin):
    list_display = ["update", "dimension", "level", "reason"]
    list_filter = ["dimension__programme", "level__scale", "level"]
    search_fields = ["reason", "update__reason"]
    list_select_related = ["update__programme", "update__workstream", "update__project", "dimension", "level"]
    raw_id_fields = ["update"]


@admin.register(ProgrammeReview)
class ProgrammeReviewAdmin(NoAddNoDelete, GovernedAdmin):
    list_display = ["programme", "held_on", "performed_by", "created_at"]
    list_filter = ["programme"]
    search_fields = ["reason", "summary"]
    list_select_related = ["programme", "performed_by"]
    readonly_fields = ["summary"]


class StatusRuleForm(ChangeReasonForm):
    """The measure is chosen from those the apps register (`status_rules.MEASURES`)."""

    class Meta:
        model = StatusRule
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        from workstreams.status_rules import MEASURES

        super().__init__(*args, **kwargs)
        self.fields["measure"] = forms.ChoiceField(
            required=False,
            choices=[("", "—")] + [(m.code, m.label) for m in MEASURES.values()],
            help_text=StatusRule._meta.get_field("measure").help_text,
        )


@admin.register(StatusRule)
class StatusRuleAdmin(GovernedAdmin):
    """Computed and rolled-up status (docs/status-rules.md): what gives a dimension's rating, for one kind of
    item. Checked when saved (`status_rules.check_rule`); its history keeps each change with its reason."""

    form = StatusRuleForm
    list_display = ["name", "dimension", "applies_to", "method", "measure"]
    list_filter = ["method", "applies_to", "dimension__programme"]
    list_select_related = ["dimension__programme"]
    search_fields = ["name", "dimension__name", "dimension__programme__code"]
    autocomplete_fields = ["dimension"]


@admin.register(Stage)
class StageAdmin(GovernedAdmin):
    """The organisation's delivery stages (Discovery, Design, Delivery …), apart from the lifecycle."""

    list_display = ["name", "order", "active"]
    search_fields = ["name", "description"]
    deletable = False


@admin.register(Portfolio)
class PortfolioOfProgrammesAdmin(GovernedAdmin):
    """Portfolios above the programmes; a programme is put in one from its details."""

    list_display = ["code", "name", "owner"]
    search_fields = ["code", "name", "description"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner"]
    deletable = False


@admin.register(PortfolioStatus)
class PortfolioStatusAdmin(GovernedAdmin):
    """A portfolio's recorded statuses. Recorded on the portfolio's page, which keeps the roll-up beside each;
    corrected here with a reason (the model's rules still hold); never deleted."""

    list_display = ["portfolio", "as_of", "level", "recorded_by", "recorded_at"]
    list_filter = ["portfolio"]
    list_select_related = ["portfolio", "level", "recorded_by"]
    readonly_fields = ["portfolio", "as_of", "rolled_up_level", "rolled_up_explanation", "recorded_by", "recorded_at"]
    deletable = False

    def has_add_permission(self, request):
        return False


@admin.register(Milestone)
class MilestoneAdmin(GovernedAdmin):
    """Milestones, corrected here with a reason (the model's rules hold); added on their item's page; never
    deleted (a milestone no longer wanted is cancelled)."""

    list_display = ["name", "subject", "baseline_date", "forecast_date", "actual_date", "status", "tell_committee"]
    list_filter = ["status", "tell_committee"]
    search_fields = ["name"]
    list_select_related = ["programme", "workstream", "project"]
    readonly_fields = ["programme", "workstream", "project"]
    autocomplete_fields = ["owner"]
    deletable = False

    def has_add_permission(self, request):
        return False
