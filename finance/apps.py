from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """Money by UK financial year: budgets, actuals and forecasts per item and month, rolled up, against the
    programme's tolerance and its business cases' approved funding."""

    name = "finance"
    verbose_name = "Finance"

    def ready(self):
        from finance.selectors import tolerance_reading
        from workstreams.status_rules import register_measure

        register_measure("finance-tolerance", "Forecast overspend, as % of the finance tolerance", tolerance_reading)
