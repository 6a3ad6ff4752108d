"""Who may see and change reports. Published reports are for every role; drafts are the programme office's."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from reporting.models import Report
from workstreams.access import MANAGE_PORTFOLIO, can_view_portfolio


def can_manage_reports(user) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_PORTFOLIO)


def require_view(request):
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see reports.")


def get_report_for_user(request, pk) -> tuple[Report, bool]:
    """The report, and whether the user may edit it (only drafts, only the programme office)."""
    require_view(request)
    report = get_object_or_404(
        Report.objects.select_related("board", "programme", "published_by", "created_by", "superseded_by"), pk=pk
    )
    manage = can_manage_reports(request.user)
    if not report.is_frozen and not manage:
        raise PermissionDenied("Drafts are seen only by the programme office until they are published.")
    return report, manage and not report.is_frozen
