"""My work: what a person owes and by when, read in a fixed number of queries.

The items they lead (workstreams) or manage (projects) that have no update for the period due under their
programme's cadence (`workstreams.rules.needs_update`, the one rule the board, the dashboard and the publish gate
use); the open risks they own whose review is due within a fortnight or overdue; and the open risk actions they
own that are due within a fortnight or overdue; evidence still owed for drivers their work answers; decisions
asked of the boards they sit on. For the programme office, every open item in every programme with no update
for its period due, and the publish gate's findings on the next paper.
"""

from datetime import date, timedelta

from django.db.models import Q

from reporting import quality
from reporting.models import Report, ReportStatus
from risks.models import ActionStatus, RiskAction, RiskStatus
from risks.selectors import register_rows

SOON = timedelta(days=14)


def reviews_due(user, today: date, soon: timedelta = SOON):
    return list(
        register_rows()
        .filter(owner=user, status=RiskStatus.OPEN, next_review_due__lte=today + soon)
        .order_by("next_review_due", "register__code", "number")
    )


def actions_due(user, today: date, soon: timedelta = SOON):
    return list(
        RiskAction.objects.filter(
            Q(owner=user), status=ActionStatus.OPEN, risk__status=RiskStatus.OPEN, due_date__lte=today + soon
        )
        .select_related("risk__register")
        .order_by("due_date", "pk")
    )


def next_draft(today: date):
    """The programme office's next paper: the draft with the soonest meeting from today, or None."""
    return (
        Report.objects.filter(status=ReportStatus.DRAFT, meeting_date__gte=today)
        .select_related("board__cadence", "programme__cadence", "board__template")
        .order_by("meeting_date", "pk")
        .first()
    )


def gate(report) -> list:
    """The publish gate's findings for `report` as they stand (`reporting.quality.findings`, the gate itself)."""
    return quality.findings(report)
