"""The API's access rule: the same as the pages'. Whoever may read the portfolio on the site may read it here;
nobody may write."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from workstreams.access import can_view_portfolio


class ReadsThePortfolio(BasePermission):
    message = "You do not have a role that can see the portfolio."

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS and can_view_portfolio(request.user)
