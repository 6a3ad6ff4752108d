from django.apps import AppConfig


class WorkstreamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workstreams"
    verbose_name = "Portfolio"

    def ready(self):
        from django.urls import reverse

        from changeprog import comments
        from changeprog.effective import day_text
        from workstreams.access import MANAGE_PORTFOLIO, can_edit_project, can_edit_workstream, can_view_portfolio
        from workstreams.models import StatusUpdate

        def can_resolve_any(user, update):
            subject = update.subject
            if update.workstream_id:
                return can_edit_workstream(user, subject)
            if update.project_id:
                return can_edit_project(user, subject)
            return user.has_perm(MANAGE_PORTFOLIO)

        # A status update's discussion: everyone who reads the portfolio; whoever may update the item resolves.
        comments.register(
            comments.Kind(
                name="statusupdate",
                model=StatusUpdate,
                can_read=lambda user, update: can_view_portfolio(user),
                can_resolve_any=can_resolve_any,
                page_url=lambda update: reverse("comment_thread", args=["statusupdate", update.pk]),
                describe=lambda update: f"{update.subject} as at {day_text(update.as_of)}",
            )
        )
