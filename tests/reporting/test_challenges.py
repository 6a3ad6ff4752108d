"""A committee's challenge of a published paper: recorded with its minute, answered, shown with the paper and
carried into the next paper to that board as a matter arising."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting import services
from reporting.compose import compose
from reporting.models import Challenge, ReportSection
from tests.builders import draft_paper, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(pmo, portfolio):
    return publish(draft_paper(portfolio["programme"], pmo, meeting=date(2022, 3, 1)), pmo)


def record(client, report, **values):
    data = {"minute_reference": "AC 22/45", "raised_by": "Cllr J Smith (Chair)",
            "question": "Why is the portfolio Amber when two programmes are Red?", **values}  # fmt: skip
    return client.post(reverse("reporting:challenge_create", args=[report.pk]), data)


def test_the_office_records_a_challenge_and_answers_it_and_every_role_reads_it(client, pmo, viewer, published):
    client.force_login(pmo)
    assert record(client, published).status_code == 302
    challenge = Challenge.objects.get()
    assert (challenge.report, challenge.recorded_by, challenge.answered) == (published, pmo, False)
    answer_url = reverse("reporting:challenge_answer", args=[challenge.pk])
    page = client.get(answer_url).content.decode()
    response = client.post(
        answer_url,
        {
            "answer": "The headline follows the worst dimension.",
            "answered_on": "2022-03-10",
            "seen_version": page.split('name="seen_version" value="')[1].split('"')[0],
        },
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.answered_by, challenge.answered_on) == (pmo, date(2022, 3, 10))
    client.force_login(viewer)
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Minute AC 22/45" in html and "The headline follows the worst dimension." in html
    assert "Challenge recorded from minute AC 22/45; answered 10 Mar 2022" in html  # in the paper's history


@pytest.mark.parametrize("persona", ["lead_a", "viewer", "no_role"])
def test_only_the_office_records_challenges(client, request, published, persona):
    client.force_login(request.getfixturevalue(persona))
    assert record(client, published).status_code == 403
    assert not Challenge.objects.exists()


def test_a_draft_cannot_be_challenged(client, pmo, portfolio):
    draft = draft_paper(portfolio["programme"], pmo)
    client.force_login(pmo)
    assert record(client, draft).status_code == 403
    with pytest.raises(ValidationError, match="still a draft"):
        services.challenge_record(report=draft, raised_by="Chair", minute_reference="1", question="Q", by=pmo)


def test_revising_an_answer_needs_a_reason_and_history_keeps_the_first(pmo, published):
    challenge = services.challenge_record(report=published, raised_by="Chair", minute_reference="AC 1",
                                          question="Why?", by=pmo)  # fmt: skip
    services.challenge_answer(challenge=challenge, answer="First", answered_on=date(2022, 3, 2), by=pmo)
    with pytest.raises(ValidationError):
        services.challenge_answer(challenge=challenge, answer="Second", answered_on=date(2022, 3, 3), by=pmo)
    services.challenge_answer(
        challenge=challenge, answer="Second", answered_on=date(2022, 3, 3), by=pmo, reason="Figures corrected"
    )
    assert [h.answer for h in challenge.history.order_by("history_id")] == ["", "First", "Second"]


def test_an_answer_dated_before_the_meeting_is_refused(pmo, published):
    challenge = services.challenge_record(report=published, raised_by="Chair", minute_reference="AC 1",
                                          question="Why?", by=pmo)  # fmt: skip
    with pytest.raises(ValidationError, match="raised at the meeting"):
        services.challenge_answer(challenge=challenge, answer="A", answered_on=date(2022, 2, 1), by=pmo)


def test_the_next_paper_to_the_board_carries_the_challenges_as_matters_arising(pmo, portfolio, published):
    challenge = services.challenge_record(report=published, raised_by="Cllr J Smith", minute_reference="AC 22/45",
                                          question="Why Amber?", by=pmo)  # fmt: skip
    services.challenge_answer(challenge=challenge, answer="Worst dimension rule", answered_on=date(2022, 3, 5), by=pmo)
    later = draft_paper(portfolio["programme"], pmo, meeting=date(2022, 6, 1))
    ReportSection.objects.create(report=later, order=99, heading="Matters arising", kind="generated",
                                 generator="challenges")  # fmt: skip
    document = compose(later)
    [section] = [s for s in document["sections"] if s["heading"] == "Matters arising"]
    [block] = section["blocks"]
    assert block["caption"] == "Challenges from the meeting on 1 March 2022"
    assert [c["text"] for c in block["rows"][0]] == [
        "AC 22/45", "Cllr J Smith", "Why Amber?", "Worst dimension rule (answered 5 March 2022)"
    ]  # fmt: skip


def test_a_first_paper_says_there_is_nothing_arising(pmo, portfolio):
    paper = draft_paper(portfolio["programme"], pmo, meeting=date(2022, 6, 1))
    ReportSection.objects.create(report=paper, order=99, heading="Matters arising", kind="generated",
                                 generator="challenges")  # fmt: skip
    [section] = [s for s in compose(paper)["sections"] if s["heading"] == "Matters arising"]
    assert "first paper" in section["blocks"][0]["text"]


def test_the_challenge_pages_make_the_same_queries_however_many_challenges(client, pmo, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.querycounts import assert_pinned

    client.force_login(pmo)
    for page in ("create", "answer"):
        counts = []
        for n in (1, 20):
            while Challenge.objects.count() < n:
                services.challenge_record(report=published, raised_by="Chair", minute_reference=f"AC {n}",
                                          question="Why?", by=pmo)  # fmt: skip
            url = (
                reverse("reporting:challenge_create", args=[published.pk])
                if page == "create"
                else reverse("reporting:challenge_answer", args=[Challenge.objects.first().pk])
            )
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert_pinned(f"reporting:challenge_{page}", counts)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(published.get_absolute_url()).content.decode()
    assert html.count("Minute AC") == 20
