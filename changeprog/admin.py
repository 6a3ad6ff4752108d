from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from changeprog.admin_history import GovernedAdmin
from changeprog.models import Comment, CustomField, MailPreference, Vocabulary
from changeprog.paginators import CappedCountPaginator

# Users are searched from autocomplete fields (leads, managers), which needs search_fields on the user admin.
admin.site.unregister(User)


@admin.register(User)
class ChangeProgUserAdmin(UserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments are kept: read here, never edited or deleted (their history keeps who resolved them)."""

    list_display = ["pk", "content_type", "object_id", "author", "created_at", "resolved_by"]
    list_select_related = ["content_type", "author", "resolved_by"]
    list_filter = ["content_type"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "days_before", "last_sent_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(CustomField)
class CustomFieldAdmin(GovernedAdmin):
    """The organisation's own fields. Once made, a field's kind of record, code and type stay as they are (the
    values kept under it depend on them): rename it by its label, stop asking with Active, or add another."""

    list_display = ["label", "record", "type", "required", "on_board", "in_reports", "active", "order"]
    list_filter = ["record", "type", "active"]
    search_fields = ["label", "code", "help_text"]
    prepopulated_fields = {"code": ["label"]}
    deletable = False

    def get_readonly_fields(self, request, obj=None):
        return ["record", "code", "type"] if obj is not None else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields


@admin.register(Vocabulary)
class VocabularyAdmin(GovernedAdmin):
    """The organisation's words: one row, changed with a reason, never deleted."""

    deletable = False
    fieldsets = (
        ("Levels", {"fields": [("portfolio", "portfolios"), ("programme", "programmes"), ("workstream", "workstreams"),
                               ("project", "projects")]}),
        ("Lifecycle states (their meaning stays fixed)", {"fields": ["lifecycle_proposed", "lifecycle_active",
                                                                     "lifecycle_closing", "lifecycle_closed",
                                                                     "lifecycle_deprioritised"]}),
        ("Why", {"fields": ["change_reason"]}),
    )  # fmt: skip

    def has_add_permission(self, request):
        return not Vocabulary.objects.exists() and super().has_add_permission(request)
