"""Assurance records in the admin, each save asking for a reason. Approved business cases are read-only."""

from django.contrib import admin

from assurance.models import (
    Benefit,
    BenefitMeasurement,
    BusinessCase,
    CaseDecision,
    Decision,
    Driver,
    DriverLink,
    EmbeddingAction,
    Evidence,
    FundingLine,
)
from changeprog.admin_history import CustomFieldsAdmin, GovernedAdmin


class DriverLinkInline(admin.TabularInline):
    model = DriverLink
    extra = 0
    raw_id_fields = ["workstream", "project"]


@admin.register(Driver)
class DriverAdmin(GovernedAdmin):
    deletable = False
    list_display = ["title", "kind", "source", "reference", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["title", "reference", "source"]
    inlines = [DriverLinkInline]


@admin.register(Evidence)
class EvidenceAdmin(GovernedAdmin):
    deletable = False
    list_display = ["driver", "provided_on", "accepted_on"]
    list_select_related = ["driver"]
    readonly_fields = ["file", "file_name", "added_by"]


class FundingInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(BusinessCase)
class BusinessCaseAdmin(GovernedAdmin):
    deletable = False
    list_display = ["title", "programme", "version", "status"]
    list_filter = ["status", "programme"]
    inlines = [FundingInline]

    def has_change_permission(self, request, obj=None):
        # An approved case never changes, here or anywhere; a change is a new version.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)


@admin.register(CaseDecision)
class CaseDecisionAdmin(GovernedAdmin):
    deletable = False
    list_display = ["case", "outcome", "on", "board"]

    def has_change_permission(self, request, obj=None):
        return False  # the trail is recorded through the case page, in order


class MeasurementInline(admin.TabularInline):
    model = BenefitMeasurement
    extra = 0


@admin.register(Benefit)
class BenefitAdmin(CustomFieldsAdmin, GovernedAdmin):
    deletable = False
    list_display = ["title", "kind", "owner_name", "target_on"]
    raw_id_fields = ["workstream", "project"]
    inlines = [MeasurementInline]


@admin.register(EmbeddingAction)
class EmbeddingActionAdmin(GovernedAdmin):
    deletable = False
    list_display = ["description", "owner_name", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["workstream", "project"]


@admin.register(Decision)
class DecisionAdmin(GovernedAdmin):
    deletable = False
    list_display = ["title", "programme", "board", "status", "decided_on"]
    list_filter = ["status", "board"]
    raw_id_fields = ["update", "case_decision"]
