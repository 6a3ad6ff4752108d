"""My work: what a person owes and by when, read in a fixed number of queries.

The items they lead (workstreams) or manage (projects) that have no update for the period due under their
programme's cadence (`workstreams.rules.needs_update`, the one rule the board, the dashboard and the publish gate
use); the open risks they own whose review is due within a fortnight or overdue; and the open risk actions they
own that are due within a fortnight or overdue. For the programme office, every open item in every programme
with no update for its period due.
"""

from datetime import date, timedelta

from django.db.models import Q

from risks.models import ActionStatus, RiskAction, RiskStatus
from risks.selectors import register_rows

SOON = timedelta(days=14)


def reviews_due(user, today: date):
    return list(
        register_rows()
        .filter(owner=user, status=RiskStatus.OPEN, next_review_due__lte=today + SOON)
        .order_by("next_review_due", "register__code", "number")
    )


def actions_due(user, today: date):
    return list(
        RiskAction.objects.filter(
            Q(owner=user), status=ActionStatus.OPEN, risk__status=RiskStatus.OPEN, due_date__lte=today + SOON
        )
        .select_related("risk__register")
        .order_by("due_date", "pk")
    )
