"""Who may see and change risks, assessments and dependencies. Every risk view asks here.

Programme Office users change every risk. A contributor changes the risks that concern a workstream they lead
or a project they manage (or a project in a workstream they lead), and the actions on those risks. The owner
of a register decides on risks escalated to it. Viewers read.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from risks.models import Register, RegisterLevel, Risk
from workstreams.access import MANAGE_PORTFOLIO, can_view_portfolio


def _owns_project(user, project) -> bool:
    return user.pk in {project.manager_id, project.workstream.lead_id}


def _owns_item(user, workstream=None, project=None) -> bool:
    """Whether every piece of work named is the user's own (a project they manage or that sits in a workstream
    they lead; a workstream they lead), and at least one is named. Naming one's own workstream never covers
    someone else's project."""
    named = [item for item in (workstream, project) if item is not None]
    if not named:
        return False
    if project is not None and not _owns_project(user, project):
        return False
    return workstream is None or workstream.lead_id == user.pk


def can_edit_risk(user, risk: Risk) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_PORTFOLIO):
        return True
    if not user.has_perm("risks.change_risk"):
        return False
    project = risk.project or risk.register.project
    return _owns_item(user, risk.workstream, project)


def can_raise_risk(user, register: Register, *, workstream=None, project=None, permission="risks.add_risk") -> bool:
    """Whether the user may hold a risk in `register` concerning `workstream` and `project`: the programme office
    always; a contributor only in a programme or project register, only for work that is all theirs, and in a
    project's register only if that project is theirs too. Used when raising and when an edit moves a risk."""
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_PORTFOLIO):
        return True
    if register.level == RegisterLevel.CORPORATE or not user.has_perm(permission):
        return False
    if register.project is not None and not _owns_project(user, register.project):
        return False
    return _owns_item(user, workstream, project or register.project)


def may_open_raise_form(user, register: Register) -> bool:
    """Whether the user may raise any risk in this register (which item it concerns is checked on saving)."""
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_PORTFOLIO):
        return True
    return register.level != RegisterLevel.CORPORATE and user.has_perm("risks.add_risk")


def can_decide_for(user, register: Register) -> bool:
    """Whether the user accepts or returns risks escalated to this register: its owner; for a programme's
    register also the programme office; for the corporate register no one else (a superuser stands in)."""
    if not user.is_authenticated:
        return False
    if register.owner_id == user.pk or user.is_superuser:
        return True
    return register.level != RegisterLevel.CORPORATE and user.has_perm(MANAGE_PORTFOLIO)


def require_view(request):
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see risks.")


def get_risk_for_user(request, pk) -> tuple[Risk, bool]:
    require_view(request)
    risk = get_object_or_404(
        Risk.objects.select_related(
            "register__programme",
            "register__project__workstream",
            "scheme",
            "category",
            "owner",
            "workstream",
            "project__workstream",
            "contributes_to__register",
        ),
        pk=pk,
    )
    return risk, can_edit_risk(request.user, risk)
