from django.apps import AppConfig


class RisksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "risks"
    verbose_name = "Risks"

    def ready(self):
        from changeprog import comments
        from risks.access import can_edit_risk
        from risks.models import Risk
        from risks.selectors import overdue_actions_reading
        from workstreams.access import can_view_portfolio
        from workstreams.status_rules import register_measure

        # A status rule can count the item's overdue risk actions (the portfolio sits below the risks).
        register_measure("overdue-actions", "Overdue risk actions", overdue_actions_reading)

        # A risk's discussion: everyone who reads risks; whoever may change the risk resolves.
        comments.register(
            comments.Kind(
                name="risk",
                model=Risk,
                can_read=lambda user, risk: can_view_portfolio(user),
                can_resolve_any=can_edit_risk,
                page_url=lambda risk: risk.get_absolute_url(),
                describe=lambda risk: f"{risk.reference} {risk.title}",
            )
        )
