"""Who may see and change what in the portfolio. Every view asks here; the rules live nowhere else.

Programme Office users hold `workstreams.manage_portfolio` and may change everything. Contributors may
change only the workstreams they lead and the projects they manage (or that sit in a workstream they lead).
Viewers read. A signed-in user with none of these roles sees nothing.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from workstreams.models import Programme, Project, Workstream

MANAGE_PORTFOLIO = "workstreams.manage_portfolio"


def can_view_portfolio(user) -> bool:
    return user.is_authenticated and user.has_perm("workstreams.view_programme")


def can_edit_programme(user, programme: Programme) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_PORTFOLIO)


def can_edit_workstream(user, workstream: Workstream) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_PORTFOLIO):
        return True
    return user.has_perm("workstreams.change_workstream") and workstream.lead_id == user.pk


def can_edit_project(user, project: Project) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_PORTFOLIO):
        return True
    return user.has_perm("workstreams.change_project") and user.pk in {
        project.manager_id,
        project.workstream.lead_id,
    }


def can_record_portfolio_status(user, portfolio) -> bool:
    """The programme office, and a portfolio's owner, record its status and publish its papers."""
    if not can_view_portfolio(user):
        return False
    return user.has_perm(MANAGE_PORTFOLIO) or (portfolio.owner_id is not None and portfolio.owner_id == user.pk)


def _require_view(request):
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")


def get_programme_for_user(request, pk) -> tuple[Programme, bool]:
    _require_view(request)
    programme = get_object_or_404(Programme.objects.select_related("manager"), pk=pk)
    return programme, can_edit_programme(request.user, programme)


def get_workstream_for_user(request, pk) -> tuple[Workstream, bool]:
    _require_view(request)
    workstream = get_object_or_404(Workstream.objects.select_related("programme", "lead"), pk=pk)
    return workstream, can_edit_workstream(request.user, workstream)


def get_project_for_user(request, pk) -> tuple[Project, bool]:
    _require_view(request)
    project = get_object_or_404(
        Project.objects.select_related("workstream__programme", "workstream__lead", "manager"), pk=pk
    )
    return project, can_edit_project(request.user, project)
