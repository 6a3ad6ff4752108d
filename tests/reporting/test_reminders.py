"""The daily digest: each person hears once a day of what they owe and what has happened for them, every link
opens the right page, and they can turn it off from the message itself."""

import re
import socket
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from changeprog import mail
from changeprog.models import MailPreference
from reporting.models import Board
from reporting.reminders import send_digests
from risks import services as risk_services
from risks.models import RiskScheme
from tests.builders import draft_paper, publish
from tests.querycounts import assert_pinned
from workstreams import services as portfolio_services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db

# A day in a monthly period, with the period's end three days away.
TODAY = date(2026, 3, 28)
NOW = datetime(2026, 3, 28, 6, 30, tzinfo=UTC)


def record(item, level, by, as_of):
    dimension = portfolio_services.dimensions_for(item).get(code="overall")
    portfolio_services.status_update_submit(
        subject=item, as_of=as_of, ratings=[RatingInput(dimension, level, "Why")], reason="Why", by=by
    )


def mail_to(outbox, user):
    return [m for m in outbox if m.to == [user.email]]


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_a_lead_gets_one_digest_naming_the_update_they_owe_with_a_link_to_its_form(mailoutbox, lead_a, portfolio):
    counts = send_digests(today=TODAY, now=NOW)
    [message] = mail_to(mailoutbox, lead_a)
    assert "Status updates overdue" in message.body
    assert "Workstream A (Portfolio under test): nothing recorded for 1 Feb 2026 to 28 Feb 2026" in message.body
    record_url = mail.absolute(reverse("workstreams:workstream_record_update", args=[portfolio["ws_a"].pk]))
    assert record_url in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{record_url}"' in html
    assert counts["sent"] >= 1
    # Once a day: a second run the same day sends nothing more.
    again = send_digests(today=TODAY, now=NOW + timedelta(hours=2))
    assert len(mail_to(mailoutbox, lead_a)) == 1 and again["sent"] == 0 and again["already"] >= 1


def test_an_update_comes_due_within_the_persons_warning_and_not_before(mailoutbox, pmo, lead_a, portfolio, rag):
    record(portfolio["ws_a"], rag["GREEN"], pmo, date(2026, 2, 10))
    record(portfolio["project_a"], rag["GREEN"], pmo, date(2026, 2, 10))
    MailPreference.objects.create(user=lead_a, days_before=2)
    send_digests(today=TODAY, now=NOW)
    assert mail_to(mailoutbox, lead_a) == []  # the March period ends in 3 days: not yet
    MailPreference.objects.filter(user=lead_a).update(days_before=5, last_sent_at=None)
    send_digests(today=TODAY, now=NOW)
    [message] = mail_to(mailoutbox, lead_a)
    assert "Status updates due soon" in message.body and "Status updates overdue" not in message.body
    assert "Workstream A (Portfolio under test): this period ends 31 Mar 2026" in message.body


def test_risk_reviews_and_actions_due_reach_their_owner(mailoutbox, pmo, lead_a, lead_b, portfolio, rag):
    for item in ("ws_b", "project_b"):
        record(portfolio[item], rag["GREEN"], pmo, date(2026, 3, 2))
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    risk = risk_services.risk_raise(
        register=register, title="Funding gap", category=RiskScheme.objects.get(is_current=True).categories.get(
            code="financial"), owner=lead_b, scores=risk_services.Scores((4, 4), (4, 4), (1, 1)), by=pmo,
        raised_on=date(2025, 6, 1),
    )  # fmt: skip
    risk_services.action_add(risk=risk, description="Chase the grant", due_date=TODAY + timedelta(days=2),
                             owner=lead_b, by=pmo)  # fmt: skip
    send_digests(today=TODAY, now=NOW)
    [message] = mail_to(mailoutbox, lead_b)
    assert f"{risk.reference} Funding gap: review overdue since" in message.body
    assert f"{risk.reference}: Chase the grant, due 30 Mar 2026" in message.body
    assert "Status updates" not in message.body


def test_a_published_paper_is_announced_to_the_boards_members_only(mailoutbox, pmo, viewer, lead_a, portfolio):
    board = Board.objects.get(name="Executive")
    board.members.add(viewer)
    paper = publish(draft_paper(portfolio["programme"], pmo), pmo)
    send_digests()
    [message] = mail_to(mailoutbox, viewer)
    assert f"Executive: {paper.title}" in message.body
    assert mail.absolute(reverse("reporting:report", args=[paper.pk])) in message.body
    assert all("Papers published" not in m.body for m in mail_to(mailoutbox, lead_a))


def test_a_decided_escalation_reaches_whoever_proposed_it(mailoutbox, pmo, lead_a, portfolio):
    from risks.models import Register

    register = Register.objects.create(level="project", code="PA", name="Project A", project=portfolio["project_a"])
    risk_services.programme_register(portfolio["programme"], by=pmo)
    risk = risk_services.risk_raise(
        register=register, title="Supplier insolvency", owner=lead_a,
        category=RiskScheme.objects.get(is_current=True).categories.get(code="legal"),
        scores=risk_services.Scores((4, 4), (4, 4), (1, 1)), by=pmo,
    )  # fmt: skip
    escalation = risk_services.escalation_propose(risk=risk, reason="Beyond the project", by=lead_a)
    risk_services.escalation_return(escalation=escalation, by=pmo, decision_reason="Manage it in the project")
    send_digests()
    [message] = mail_to(mailoutbox, lead_a)
    assert "Escalations decided" in message.body and "Supplier insolvency: returned" in message.body


def test_every_link_in_a_digest_opens_the_right_page_for_its_reader(client, mailoutbox, lead_a, portfolio):
    send_digests(today=TODAY, now=NOW)
    [message] = mail_to(mailoutbox, lead_a)
    client.force_login(lead_a)
    found = links(message)
    assert len(found) >= 4
    for url in found:
        path = url.removeprefix(mail.absolute(""))
        response = client.get(path)
        assert response.status_code == 200, url
    assert any("/record-update/" in url for url in found)


def test_the_unsubscribe_link_stops_the_digest_without_signing_in(client, mailoutbox, lead_a, portfolio):
    send_digests(today=TODAY, now=NOW)
    [message] = mail_to(mailoutbox, lead_a)
    [unsubscribe] = [u for u in links(message) if "/unsubscribe/" in u]
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    path = unsubscribe.removeprefix(mail.absolute(""))
    page = client.get(path)
    assert page.status_code == 200 and "Stop the daily digest" in page.content.decode()
    assert MailPreference.objects.get(user=lead_a).digest  # looking changes nothing
    done = client.post(path)
    assert done.status_code == 200 and "no more daily digests" in done.content.decode()
    assert not MailPreference.objects.get(user=lead_a).digest
    mailoutbox.clear()
    assert send_digests(today=TODAY + timedelta(days=1))["off"] >= 1
    assert mail_to(mailoutbox, lead_a) == []


def test_a_forged_unsubscribe_link_changes_nothing(client, lead_a):
    token = mail.unsubscribe_token(lead_a)[:-3] + "abc"
    response = client.post(reverse("mail_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert not MailPreference.objects.filter(user=lead_a, digest=False).exists()


@pytest.mark.parametrize("persona", ["pmo", "lead_a", "viewer", "no_role"])
def test_each_person_sets_their_own_preferences(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("mail_preferences"))
    assert page.status_code == 200 and user.email in page.content.decode()
    response = client.post(reverse("mail_preferences"), {"digest": "", "days_before": "3"})
    assert response.status_code == 302
    assert MailPreference.objects.filter(user=user, digest=False, days_before=3).exists()


def test_preferences_refuse_a_warning_out_of_range_and_save_nothing(client, lead_a):
    client.force_login(lead_a)
    response = client.post(reverse("mail_preferences"), {"digest": "on", "days_before": "90"})
    assert response.status_code == 400 and "Warn between 1 and 28 days ahead." in response.content.decode()
    assert not MailPreference.objects.filter(days_before=90).exists()


def test_anonymous_visitors_are_sent_to_sign_in_for_preferences(client):
    response = client.get(reverse("mail_preferences"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_preferences_page_makes_a_fixed_number_of_queries(client, pmo):
    from django.db import connection

    client.force_login(pmo)
    counts = []
    for saved in (False, True):
        if saved:
            MailPreference.objects.create(user=pmo, days_before=9)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("mail_preferences"))
        counts.append(len(ctx.captured_queries))
    assert_pinned("mail_preferences", counts)


def test_the_command_reports_what_it_sent_and_refuses_a_bad_date(capsys, mailoutbox, lead_a, portfolio):
    call_command("send_reminders", "--date", TODAY.isoformat(), "--dry-run")
    out = capsys.readouterr().out
    assert "Digests would send: " in out and mailoutbox == []
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "28/03/2026")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_digest_is_delivered_through_a_real_smtp_server(settings, lead_a, portfolio):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    server = Controller(Keep(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
            }
        }
        send_digests(today=TODAY, now=NOW)
    finally:
        server.stop()
    to_lead = [m for m in received if m["To"] == lead_a.email]
    assert len(to_lead) == 1
    assert to_lead[0]["Subject"].startswith("ChangeProg: ")
    assert to_lead[0]["List-Unsubscribe"].startswith("<http")
    [text] = [part.get_payload(decode=True).decode() for part in to_lead[0].walk()
              if part.get_content_type() == "text/plain"]  # fmt: skip
    assert "Workstream A (Portfolio under test): nothing recorded" in text
