"""In a real browser: a chief officer questions a status update and the lead resolves it; a lead follows the
daily digest's link to the form they owe, and stops the digest from the message."""

import re

import pytest
from django.core import mail as outbox
from playwright.sync_api import expect

from changeprog.models import Comment, MailPreference
from reporting.reminders import send_digests
from tests.browser.conftest import sign_in
from workstreams.models import StatusUpdate, Workstream

pytestmark = pytest.mark.browser


def test_a_chief_officer_questions_an_update_and_the_lead_resolves_it(new_page, demo):
    fcr = Workstream.objects.get(name="Force Control Room")
    latest = StatusUpdate.objects.filter(workstream=fcr).order_by("-as_of").first()
    officer = new_page()
    sign_in(officer, "viewer")
    officer.goto(fcr.get_absolute_url())
    officer.get_by_role("link", name=f"Discuss the update as at {latest.as_of:%-d %b %Y}").click()
    officer.get_by_label("Add a comment").fill("Is the June go-live still realistic?")
    officer.get_by_role("button", name="Add comment").click()
    expect(officer.get_by_role("status")).to_have_text("Comment added.")
    expect(officer.locator(".comment-thread")).to_contain_text("Chief Officer on")

    lead = new_page()
    sign_in(lead, "lead")
    lead.goto(fcr.get_absolute_url())
    lead.get_by_role("link", name=re.compile(r"^Discussion \(1, 1 unresolved\)")).first.click()
    expect(lead.locator(".comment-thread")).to_contain_text("Is the June go-live still realistic?")
    lead.get_by_role("button", name=re.compile("^Mark resolved")).click()
    expect(lead.locator(".comment-thread")).to_contain_text("Resolved by Workstream Lead")
    assert Comment.objects.get().resolved_by.username == "lead"


def test_a_lead_follows_the_digest_to_the_form_they_owe_and_stops_the_digest(new_page, demo, live_server, settings):
    settings.SITE_URL = live_server.url
    outbox.outbox.clear()
    send_digests()
    [message] = [m for m in outbox.outbox if m.to == ["lead@example.invalid"]]
    record_link = next(u for u in re.findall(r"https?://\S+", message.body) if "/record-update/" in u)
    unsubscribe = next(u for u in re.findall(r"https?://\S+", message.body) if "/unsubscribe/" in u)

    page = new_page()
    page.goto(record_link)
    sign_in(page, "lead", go_to_login=False)  # the link asks them to sign in, then opens the form
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record update")

    page.goto(unsubscribe)
    page.get_by_role("button", name="Stop the daily digest").click()
    expect(page.get_by_role("status")).to_contain_text("no more daily digests")
    assert not MailPreference.objects.get(user__username="lead").digest
