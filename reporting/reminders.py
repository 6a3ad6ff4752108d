"""The daily digest: one email a person, only when something is theirs to do or has happened for them.

What falls due uses the rules My work uses (`workstreams.owed`, `reporting.mywork`), so the email and the page
never disagree: status updates overdue (the period ended with nothing recorded) and due soon (the current
period ends within the person's `days_before` with nothing recorded yet), risk reviews and risk actions due
within `days_before` or overdue. What happened since the last digest: papers published to a board the person
sits on, and escalations they proposed or whose risk they own that have been decided.

`send_digests` is what `manage.py send_reminders` (from cron) and the task worker's `send_reminders_task` run;
sending twice in a day sends nothing the second time.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from changeprog import mail
from changeprog.models import MailPreference
from reporting import mywork
from reporting.models import Report, ReportStatus
from risks.models import Escalation
from workstreams.owed import updates_due_soon, updates_owed

logger = logging.getLogger(__name__)


@dataclass
class Line:
    text: str
    url: str


@dataclass
class Digest:
    user: object
    sections: list[tuple[str, list[Line]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(lines for _, lines in self.sections)

    @property
    def count(self) -> int:
        return sum(len(lines) for _, lines in self.sections)


def _day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _record_url(owed) -> str:
    return mail.absolute(reverse(owed.record_url_name, args=[owed.item.pk]))


def digest_for(user, today: date, since: datetime, days_before: int) -> Digest:
    soon = timedelta(days=days_before)
    overdue = updates_owed(today, user=user)
    owed_keys = {(o.kind, o.item.pk) for o in overdue}
    due = [o for o in updates_due_soon(today, user=user, within=days_before) if (o.kind, o.item.pk) not in owed_keys]
    reviews = mywork.reviews_due(user, today, soon)
    actions = mywork.actions_due(user, today, soon)
    published = (
        Report.objects.filter(
            board__members=user,
            status__in=[ReportStatus.PUBLISHED, ReportStatus.SUPERSEDED],
            published_at__gt=since,
        )
        .select_related("board")
        .order_by("published_at")
    )
    decided = (
        Escalation.objects.filter(Q(proposed_by=user) | Q(risk__owner=user), decided_at__gt=since)
        .exclude(decided_by=user)
        .select_related("risk__register", "to_register", "decided_by")
        .order_by("decided_at")
    )

    def when(day: date, what: str) -> str:
        return f"overdue since {_day(day)}" if day < today else f"{what} {_day(day)}"

    digest = Digest(user)
    digest.sections = [
        (
            "Status updates overdue",
            [
                Line(
                    f"{o.item.name} ({o.programme.name}): nothing recorded for {_day(o.period[0])} to "
                    f"{_day(o.period[1])}",
                    _record_url(o),
                )
                for o in overdue
            ],
        ),
        (
            "Status updates due soon",
            [
                Line(f"{o.item.name} ({o.programme.name}): this period ends {_day(o.period[1])}", _record_url(o))
                for o in due
            ],
        ),
        (
            "Risk reviews due",
            [
                Line(
                    f"{r.reference} {r.title}: review {when(r.next_review_due, 'due')}",
                    mail.absolute(r.get_absolute_url()),
                )
                for r in reviews
            ],
        ),
        (
            "Risk actions due",
            [
                Line(
                    f"{a.risk.reference}: {a.description[:100]}, {when(a.due_date, 'due')}",
                    mail.absolute(reverse("risks:risk", args=[a.risk_id])),
                )
                for a in actions
            ],
        ),
        (
            "Papers published",
            [
                Line(
                    f"{r.board.name}: {r.title}, meeting {_day(r.meeting_date)}",
                    mail.absolute(reverse("reporting:report", args=[r.pk])),
                )
                for r in published
            ],
        ),
        (
            "Escalations decided",
            [
                Line(
                    f"{e.risk.reference} {e.risk.title}: {e.get_status_display().lower()} for {e.to_register} by "
                    f"{e.decided_by.get_full_name() if e.decided_by else 'someone'}",
                    mail.absolute(e.risk.get_absolute_url()),
                )
                for e in decided
            ],
        ),
    ]
    return digest


def send_digests(*, today: date | None = None, now: datetime | None = None, dry_run: bool = False) -> dict:
    """Send each person who wants one their digest for `today`, unless one went today already. Returns counts:
    sent, nothing (nothing to say), already (sent today), off (digest turned off), no_address."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    counts = dict.fromkeys(("sent", "nothing", "already", "off", "no_address"), 0)
    users = get_user_model().objects.filter(is_active=True).order_by("pk")
    preferences = {p.user_id: p for p in MailPreference.objects.all()}
    for user in users:
        preference = preferences.get(user.pk) or MailPreference(user=user)
        if not preference.digest:
            counts["off"] += 1
            continue
        if not mail.can_mail(user):
            counts["no_address"] += 1
            continue
        if preference.last_sent_at and timezone.localdate(preference.last_sent_at) >= today:
            counts["already"] += 1
            continue
        since = preference.last_sent_at or now - timedelta(days=1)
        digest = digest_for(user, today, since, preference.days_before)
        if digest.empty:
            counts["nothing"] += 1
            continue
        if not dry_run:
            mail.send(
                user,
                subject=f"ChangeProg: {digest.count} thing{'s' if digest.count != 1 else ''} for you, {_day(today)}",
                template="mail/digest",
                context={"digest": digest, "today": today, "my_work_url": mail.absolute(reverse("home"))},
            )
            preference.last_sent_at = now
            preference.save()
        counts["sent"] += 1
    logger.info("Digests for %s: %s", today, counts)
    return counts
