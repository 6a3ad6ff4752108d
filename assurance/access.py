"""Who may see and change drivers, evidence, business cases, benefits, embedding actions and decisions.

The programme office manages everything here. A contributor adds evidence for drivers that their own work
answers, and keeps the benefits and embedding actions of the workstreams they lead and the projects they
manage. Viewers read. The portfolio's rules (workstreams.access) decide what "their own" means.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied

from workstreams.access import MANAGE_PORTFOLIO, can_edit_project, can_edit_workstream, can_view_portfolio
from workstreams.models import Project


def require_view(request):
    if not can_view_portfolio(request.user):
        raise PermissionDenied("You do not have a role that can see the portfolio.")


def can_manage(user) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_PORTFOLIO)


def require_manage(request):
    if not can_manage(request.user):
        raise PermissionDenied("Only the programme office can change this.")


def can_edit_item(user, item) -> bool:
    if item is None:
        return False
    return can_edit_project(user, item) if isinstance(item, Project) else can_edit_workstream(user, item)


def can_keep(user, item, permission: str) -> bool:
    """Whether `user` may keep a record (`permission`, e.g. "assurance.change_benefit") of this work."""
    return can_manage(user) or (user.has_perm(permission) and can_edit_item(user, item))


def can_add_evidence(user, driver_links) -> bool:
    """The programme office, or whoever may edit a piece of work that answers the driver."""
    return any(can_keep(user, link.item, "assurance.add_evidence") for link in driver_links) or can_manage(user)


def can_see_evidence(user, evidence, driver_links) -> bool:
    """Accepted evidence is read by every portfolio reader; evidence not yet accepted only by the office and by
    whoever may add evidence for the driver (unless EVIDENCE_VISIBLE_BEFORE_ACCEPTANCE)."""
    return evidence.accepted or settings.EVIDENCE_VISIBLE_BEFORE_ACCEPTANCE or can_add_evidence(user, driver_links)
