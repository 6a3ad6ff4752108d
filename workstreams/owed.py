"""Updates owed: the open items (programmes, workstreams, projects) with no update for the period due under their
programme's cadence (`workstreams.rules.needs_update`), for one person or for everyone. My work, the grid's
default rows, "save and go to the next item" and the reminders all read it from here."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from workstreams import rules
from workstreams.models import Programme, Project, StatusUpdate, Workstream


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
# For each kind, the path from the item to its programme's id, in SQL.
PROGRAMME_PATH = {"programme": "pk", "workstream": "programme_id", "project": "workstream__programme_id"}
MODELS = {"programme": Programme, "workstream": Workstream, "project": Project}


def _whose(user) -> dict[str, Q]:
    """What the user answers for, by kind (`workstreams.access`): a project also by the lead of its workstream.
    The workstreams they lead are read first, so the projects are found through the indexes of their manager and
    their workstream (an OR across the join to the workstream read every project of the portfolio)."""
    led = list(Workstream.objects.filter(lead=user).values_list("pk", flat=True))
    return {
        "programme": Q(manager=user),
        "workstream": Q(lead=user),
        "project": Q(manager=user) | Q(workstream_id__in=led),
    }


def _updates_of(kind: str):
    return StatusUpdate.objects.filter(**{kind: OuterRef("pk")})


def _behind(queryset, kind: str, today: date, cadences: dict):
    """The open items of `queryset` with no update for their period due, filtered in SQL (`rules.needs_update_q`)."""

    def updated_since(start):
        return Exists(_updates_of(kind).filter(as_of__gte=start))

    behind = rules.needs_update_q(today, cadences, programme=PROGRAMME_PATH[kind], updated_since=updated_since)
    return queryset.filter(rules.open_q()).filter(behind)


def _with_last_update(rows, kind: str):
    """Each row with the date of its latest update (`last_update`), read for the rows returned only."""
    return rows.annotate(last_update=Subquery(_updates_of(kind).order_by("-as_of").values("as_of")[:1]))


def _owed(queryset, kind: str, today: date, default, cadences: dict) -> list[Owed]:
    related, programme_of = PROGRAMME_OF[kind]
    owed = []
    for item in _with_last_update(_behind(queryset, kind, today, cadences), kind).select_related(*related):
        programme = programme_of(item)
        cadence = programme.cadence or default
        if rules.needs_update(item.last_update, today, cadence):
            owed.append(Owed(item, kind, programme, item.last_update, rules.period_due(today, cadence)))
    return owed


def updates_owed(today: date, *, user=None) -> list[Owed]:
    """Open items (programmes, workstreams, projects) with no update for their period due: those the user
    manages or leads, or, without a user, all of them."""
    default = rules.default_cadence()
    cadences = rules.cadences_of_programmes(default)
    mine = {} if user is None else _whose(user)
    owed = [
        found
        for kind, model in MODELS.items()
        for found in _owed(model.objects.filter(mine.get(kind, Q())), kind, today, default, cadences)
    ]
    order = list(MODELS)
    return sorted(owed, key=lambda o: (o.programme.name, order.index(o.kind), o.item.name))


@dataclass
class OwedInProgramme:
    programme: object
    counts: dict  # {kind: how many of its open items of that kind owe an update}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def owed_by_programme(today: date) -> list[OwedInProgramme]:
    """How many open items owe an update in each programme that has any, by kind: counted in SQL, so the same
    few queries however many items there are (the programme office's overview on My work)."""
    cadences = rules.cadences_of_programmes()
    counts: dict[int, dict[str, int]] = {}
    for kind, model in MODELS.items():
        path = PROGRAMME_PATH[kind]
        behind = _behind(model.objects.all(), kind, today, cadences)
        found = behind.order_by().values(path).annotate(n=Count("pk")).values_list(path, "n")
        for programme_id, n in found:
            counts.setdefault(programme_id, {})[kind] = n
    programmes = Programme.objects.filter(pk__in=counts).order_by("name")
    return [OwedInProgramme(p, {kind: counts[p.pk].get(kind, 0) for kind in MODELS}) for p in programmes]


def next_owed(today: date, *, user, after, office: bool = False) -> "Owed | None":
    """The next item needing an update after `after`: the user's own first (or, for the programme office,
    anyone's), in the same programme before any other."""
    owed = updates_owed(today, user=None if office else user)
    kind = type(after)._meta.model_name
    # Only the programme office records a programme's own status (`workstreams.access`).
    others = [o for o in owed if not (o.kind == kind and o.item.pk == after.pk) and (office or o.kind != "programme")]
    programme_id = PROGRAMME_OF[kind][1](after).pk
    same = [o for o in others if o.programme.pk == programme_id]
    return (same or others or [None])[0]


def updates_due_soon(today: date, *, user, within: int) -> list[Owed]:
    """Open items the user may update with nothing dated yet in the current period, when that period ends
    within `within` days: after it ends they owe the update (`updates_owed`). `Owed.period` is the current
    period."""
    default = rules.default_cadence()
    mine = _whose(user)
    soon = []
    for kind, model in {"programme": Programme, "workstream": Workstream, "project": Project}.items():
        related, programme_of = PROGRAMME_OF[kind]
        rows = model.objects.filter(mine[kind], rules.open_q()).annotate(last_update=Max("status_updates__as_of"))
        for item in rows.select_related(*related):
            programme = programme_of(item)
            start, end = rules.period_containing(today, programme.cadence or default)
            if (end - today).days < within and (item.last_update is None or item.last_update < start):
                soon.append(Owed(item, kind, programme, item.last_update, (start, end)))
    return sorted(soon, key=lambda o: (o.period[1], o.programme.name, o.item.name))
