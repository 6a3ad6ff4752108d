from django.contrib import admin

from changeprog.admin_history import GovernedAdmin
from finance.models import FinanceLine, Tolerance


@admin.register(FinanceLine)
class FinanceLineAdmin(GovernedAdmin):
    """Finance lines: corrected here with a reason (the model's rules hold); entered on each item's finance page
    or imported; never deleted (a figure no longer true is emptied, and its history keeps what it was)."""

    list_display = ["__str__", "month", "kind", "budget", "actual", "forecast"]
    list_filter = ["kind"]
    list_select_related = ["programme", "workstream", "project"]
    readonly_fields = ["programme", "workstream", "project", "month", "kind"]
    deletable = False

    def has_add_permission(self, request):
        return False


@admin.register(Tolerance)
class ToleranceAdmin(GovernedAdmin):
    list_display = ["programme", "percent", "amount"]
    list_select_related = ["programme"]
    deletable = False
