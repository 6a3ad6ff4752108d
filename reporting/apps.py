from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from django.urls import reverse

        from changeprog import comments
        from reporting.access import can_manage_reports
        from reporting.models import Report

        # A draft paper's discussion is the programme office's, like the draft; publishing closes it (the thread
        # stays to read). A committee's challenge of a published paper is a Challenge, not a comment.
        comments.register(
            comments.Kind(
                name="report",
                model=Report,
                can_read=lambda user, report: can_manage_reports(user),
                can_resolve_any=lambda user, report: can_manage_reports(user),
                page_url=lambda report: reverse("reporting:report", args=[report.pk]),
                closed=lambda report: (
                    "The paper is published: its drafting discussion is closed." if report.is_frozen else ""
                ),
                describe=lambda report: report.title,
            )
        )
