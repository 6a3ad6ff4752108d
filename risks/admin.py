"""Risk schemes, registers and risks in the admin. A scheme that has scored anything is read-only there;
"Make a new version" copies it into a new current version that can be changed."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from changeprog.admin_history import CustomFieldsAdmin, GovernedAdmin
from risks import services
from risks.models import (
    BandCell,
    Dependency,
    Escalation,
    ImpactDescriptor,
    ImpactLevel,
    LikelihoodLevel,
    PriorityAssessment,
    PriorityImpact,
    Register,
    Risk,
    RiskAction,
    RiskBand,
    RiskCategory,
    RiskScheme,
)


def _live_scores(formset, prefix):
    """The scores a likelihood or impact inline will hold once saved, read from the submitted form data."""
    total = int(formset.data.get(f"{prefix}-TOTAL_FORMS", 0))
    scores = set()
    for n in range(total):
        if formset.data.get(f"{prefix}-{n}-DELETE"):
            continue
        value = formset.data.get(f"{prefix}-{n}-score")
        if value:
            scores.add(int(value))
    return scores


class BandCellFormSet(forms.BaseInlineFormSet):
    """Refuses a grid that leaves a cell of the scheme's scales without a band, or has cells off the scales."""

    def clean(self):
        super().clean()
        likelihoods = _live_scores(self, "likelihood_levels")
        impacts = _live_scores(self, "impact_levels")
        cells = {
            (form.cleaned_data["likelihood"], form.cleaned_data["impact"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        expected = {(lk, im) for lk in likelihoods for im in impacts}
        problems = [f"Likelihood {lk} × impact {im} has no band." for lk, im in sorted(expected - cells)]
        problems += [
            f"Likelihood {lk} × impact {im} is not on the scheme's scales." for lk, im in sorted(cells - expected)
        ]
        if problems:
            raise ValidationError(["The band grid does not fit the scheme's scales.", *problems])


class LikelihoodInline(admin.TabularInline):
    model = LikelihoodLevel
    extra = 0


class ImpactInline(admin.TabularInline):
    model = ImpactLevel
    extra = 0


class BandInline(admin.TabularInline):
    model = RiskBand
    extra = 0


class CellInline(admin.TabularInline):
    model = BandCell
    formset = BandCellFormSet
    extra = 0


class CategoryInline(admin.TabularInline):
    model = RiskCategory
    extra = 0
    show_change_link = True


@admin.register(RiskScheme)
class RiskSchemeAdmin(GovernedAdmin):
    list_display = ["name", "version", "is_current", "created_at"]
    list_filter = ["is_current"]
    search_fields = ["name", "description"]
    inlines = [LikelihoodInline, ImpactInline, BandInline, CellInline, CategoryInline]
    actions = ["make_new_version"]

    def has_change_permission(self, request, obj=None):
        # A scheme that has scored anything never changes in place; make a new version instead.
        if obj is not None and services.scheme_in_use(obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Make a new version of the selected schemes")
    def make_new_version(self, request, queryset):
        for scheme in queryset:
            try:
                copy = services.scheme_new_version(
                    scheme=scheme, by=request.user, reason="New version made in the admin"
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"Made {copy}; it is now current and can be changed.")


class DescriptorInline(admin.TabularInline):
    model = ImpactDescriptor
    extra = 0


@admin.register(RiskCategory)
class RiskCategoryAdmin(GovernedAdmin):
    list_display = ["name", "scheme", "weight", "appetite", "tolerance", "escalates_on_major_impact"]
    list_filter = ["scheme", "appetite"]
    search_fields = ["name", "code"]
    inlines = [DescriptorInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.scheme_in_use(obj.scheme):
            return False
        return super().has_change_permission(request, obj)


class ImpactRowInline(admin.TabularInline):
    model = PriorityImpact
    extra = 0


@admin.register(PriorityAssessment)
class PriorityAssessmentAdmin(GovernedAdmin):
    deletable = False
    list_display = ["project", "assessed_on", "likelihood", "confidence", "mandatory", "scheme", "assessed_by"]
    list_filter = ["scheme", "confidence", "mandatory"]
    search_fields = ["project__name", "notes"]
    list_select_related = ["project", "scheme", "assessed_by"]
    inlines = [ImpactRowInline]


@admin.register(Register)
class RegisterAdmin(GovernedAdmin):
    deletable = False
    list_display = ["name", "code", "level", "programme", "project", "owner"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["programme", "project", "owner"]


class ActionInline(admin.TabularInline):
    model = RiskAction
    extra = 0


@admin.register(Risk)
class RiskAdmin(CustomFieldsAdmin, GovernedAdmin):
    deletable = False
    list_display = ["__str__", "register", "category", "owner", "status", "next_review_due"]
    list_filter = ["register__level", "status", "category__scheme", "response"]
    search_fields = ["title", "cause", "event", "effect", "register__code", "register__name"]
    list_select_related = ["register", "category", "owner"]
    readonly_fields = ["number", "next_review_due"]
    inlines = [ActionInline]


@admin.register(Escalation)
class EscalationAdmin(GovernedAdmin):
    deletable = False
    list_display = ["risk", "to_register", "status", "proposed_by", "decided_by", "decided_at"]
    list_filter = ["status", "to_register__level"]
    search_fields = ["risk__title", "to_register__code", "to_register__name"]
    list_select_related = ["risk__register", "to_register", "proposed_by", "decided_by"]


@admin.register(Dependency)
class DependencyAdmin(GovernedAdmin):
    deletable = False
    list_display = ["from_project", "to_project", "external_name", "kind", "status", "needed_by"]
    list_filter = ["kind", "status", "external_kind"]
    search_fields = ["description", "external_name", "from_project__name"]
    list_select_related = ["from_project", "to_project"]
