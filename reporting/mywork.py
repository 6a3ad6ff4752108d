"""My work: what a person owes and by when, read in a fixed number of queries.

The items they lead (workstreams) or manage (projects) that have no update for the period due under their
programme's cadence (`workstreams.rules.needs_update`, the one rule the board, the dashboard and the publish gate
use); the open risks they own whose review is due within a fortnight or overdue; and the open risk actions they
own that are due within a fortnight or overdue. For the programme office, every open item in every programme
with no update for its period due.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Max, Q

from risks.models import ActionStatus, RiskAction, RiskStatus
from risks.selectors import register_rows
from workstreams import rules
from workstreams.models import Programme, Project, Workstream

SOON = timedelta(days=14)


@dataclass
class Owed:
    item: object
    kind: str  # "workstream" | "project"
    programme: object
    last_update: date | None
    period: tuple[date, date]

    @property
    def record_url_name(self) -> str:
        return f"workstreams:{self.kind}_record_update"


# For each kind: what to read with it (its programme's cadence, and who leads or manages it), and its programme.
PROGRAMME_OF = {
    "programme": (["cadence", "manager"], lambda item: item),
    "workstream": (["programme__cadence", "lead"], lambda item: item.programme),
    "project": (["workstream__programme__cadence", "manager"], lambda item: item.workstream.programme),
}


def _owed(queryset, kind: str, today: date, default) -> list[Owed]:
    related, programme_of = PROGRAMME_OF[kind]
    owed = []
    rows = queryset.filter(rules.open_q()).annotate(last_update=Max("status_updates__as_of"))
    for item in rows.select_related(*related):
        programme = programme_of(item)
        cadence = programme.cadence or default
        if rules.needs_update(item.last_update, today, cadence):
            owed.append(Owed(item, kind, programme, item.last_update, rules.period_due(today, cadence)))
    return owed


def updates_owed(today: date, *, user=None) -> list[Owed]:
    """Open items (programmes, workstreams, projects) with no update for their period due: those the user
    manages or leads, or, without a user, all of them."""
    default = rules.default_cadence()
    mine = (
        {}
        if user is None
        else {"programme": {"manager": user}, "workstream": {"lead": user}, "project": {"manager": user}}
    )
    models = {"programme": Programme, "workstream": Workstream, "project": Project}
    owed = [
        found
        for kind, model in models.items()
        for found in _owed(model.objects.filter(**mine.get(kind, {})), kind, today, default)
    ]
    order = list(models)
    return sorted(owed, key=lambda o: (o.programme.name, order.index(o.kind), o.item.name))


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
