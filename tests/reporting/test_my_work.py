"""My work: each person sees what they owe and by when, and the programme office sees everyone's updates
still due."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from risks import services as risk_services
from risks.models import RiskScheme
from tests.querycounts import assert_pinned
from workstreams import services as portfolio_services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


def page(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_a_lead_sees_the_updates_they_owe_and_not_once_recorded(client, lead_a, pmo, portfolio, rag):
    owed = [(o.kind, o.item.name) for o in page(client, lead_a).context["mine"]]
    assert ("workstream", portfolio["ws_a"].name) in owed
    assert portfolio["ws_b"].name not in [name for _, name in owed]  # someone else's
    html = page(client, lead_a).content.decode()
    assert reverse("workstreams:workstream_record_update", args=[portfolio["ws_a"].pk]) in html
    dimension = portfolio_services.dimensions_for(portfolio["ws_a"]).get(code="overall")
    portfolio_services.status_update_submit(
        subject=portfolio["ws_a"],
        as_of=timezone.localdate(),
        ratings=[RatingInput(dimension, rag["GREEN"])],
        by=lead_a,
    )
    assert portfolio["ws_a"].name not in [o.item.name for o in page(client, lead_a).context["mine"]]


def test_risk_reviews_and_actions_due_are_listed_for_their_owner(client, lead_a, pmo, portfolio):
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    risk = risk_services.risk_raise(
        register=register, title="Overdue review", category=category, owner=lead_a, workstream=portfolio["ws_a"],
        scores=risk_services.Scores((4, 4), (4, 4), (1, 1)), by=pmo,
        raised_on=timezone.localdate() - timedelta(days=200),
    )  # fmt: skip
    risk_services.action_add(
        risk=risk, description="Chase funding", due_date=timezone.localdate() + timedelta(days=3), owner=lead_a, by=pmo
    )
    response = page(client, lead_a)
    assert [r.title for r in response.context["reviews"]] == ["Overdue review"]
    assert [a.description for a in response.context["actions"]] == ["Chase funding"]
    html = response.content.decode()
    assert "overdue since" in html and "Chase funding" in html
    assert not page(client, pmo).context["reviews"]  # not the office's own


def test_only_the_office_sees_everyones_updates_due(client, pmo, lead_a, viewer, portfolio):
    everyone = page(client, pmo).context["everyone"]
    [group] = [g for g in everyone if g.programme == portfolio["programme"]]
    # Nothing is recorded yet: the programme itself, both workstreams and both projects owe an update.
    assert group.counts == {"programme": 1, "workstream": 2, "project": 2}
    assert group.total == 5
    assert "Everyone's updates still due" in page(client, pmo).content.decode()
    assert "Everyone's updates still due" not in page(client, lead_a).content.decode()
    assert page(client, viewer).context["everyone"] == []


@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_every_role_that_reads_the_portfolio_opens_my_work(client, request, portfolio, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("home")).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_work_makes_the_same_queries_whatever_the_portfolio_size(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import build_portfolio, draft_paper

    client.force_login(pmo)
    counts = []
    for n, size in enumerate((5, 120)):
        programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=1)
        # The office's page names the next paper (its gate's findings come after, in their own request).
        draft_paper(programme, pmo, meeting=timezone.localdate() + timedelta(days=30 - n))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("home (my work)", counts)


def test_a_lead_sees_the_evidence_their_work_owes_until_some_is_accepted(client, lead_a, pmo, portfolio):
    from assurance import services as assurance_services
    from assurance.models import Driver, DriverKind

    driver = assurance_services.driver_save(
        driver=Driver(kind=DriverKind.choices[0][0], title="PEEL: improve call handling", source="HMICFRS"),
        by=pmo,
        reason="Inspection",
    )
    assurance_services.driver_link(driver=driver, item=portfolio["project_a"], by=pmo, reason="Answers it")
    evidence = page(client, lead_a).context["evidence"]
    assert [(d.title, [i.name for i in d.for_work]) for d in evidence] == [(driver.title, ["Project A"])]
    assert "PEEL: improve call handling" in page(client, lead_a).content.decode()
    assert page(client, pmo).context["evidence"] == []  # not the office's own work
    given = assurance_services.evidence_add(
        driver=driver, summary="Call answer times", provided_on=timezone.localdate(), by=lead_a
    )
    assurance_services.evidence_accept(evidence=given, on=timezone.localdate(), by=pmo)
    assert page(client, lead_a).context["evidence"] == []


def test_board_members_see_the_decisions_asked_of_their_board(client, viewer, lead_a, pmo, portfolio):
    from assurance.models import Decision
    from reporting.models import Board

    board = Board.objects.get(name="Executive")
    board.members.add(viewer)
    Decision.objects.create(
        programme=portfolio["programme"], board=board, title="Approve the FCR business case",
        needed_by=timezone.localdate() + timedelta(days=10),
    )  # fmt: skip
    Decision.objects.create(programme=portfolio["programme"], board=board, title="Made already", status="made",
                            decided_on=timezone.localdate())  # fmt: skip
    assert [d.title for d in page(client, viewer).context["decisions"]] == ["Approve the FCR business case"]
    assert "Approve the FCR business case" in page(client, viewer).content.decode()
    assert page(client, lead_a).context["decisions"] == []


def test_the_office_sees_the_next_papers_gate_findings(client, pmo, lead_a, portfolio):
    from tests.builders import draft_paper

    assert "No draft paper has a meeting still to come." in page(client, pmo).content.decode()
    paper = draft_paper(portfolio["programme"], pmo, meeting=timezone.localdate() + timedelta(days=20))
    response = page(client, pmo)
    html = response.content.decode()
    # My work names the paper at once and links its gate; the gate's findings come in a second request.
    assert response.context["paper"] == paper
    assert paper.title in html and reverse("reporting:report_publish", args=[paper.pk]) in html
    assert f'hx-get="{reverse("reporting:my_work_next_paper")}"' in html
    section = client.get(reverse("reporting:my_work_next_paper"))
    titles = [f.title for f in section.context["gate"]]
    assert "No update this period" in titles
    assert "Before it can be published, the gate asks you to look at:" in section.content.decode()
    assert "No update this period: " in section.content.decode()
    assert "The next paper" not in page(client, lead_a).content.decode()
    client.force_login(lead_a)
    assert client.get(reverse("reporting:my_work_next_paper")).status_code == 403


def test_the_next_papers_section_makes_the_same_queries_whatever_the_portfolio_size(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import build_portfolio, draft_paper

    client.force_login(pmo)
    counts = []
    for n, size in enumerate((5, 120)):
        programme, _, _ = build_portfolio(projects=size, by=pmo, updates_per_item=1)
        paper = draft_paper(programme, pmo, meeting=timezone.localdate() + timedelta(days=30 - n))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reporting:my_work_next_paper"))
        assert response.status_code == 200 and paper.title in response.content.decode()
        counts.append(len(ctx.captured_queries))
    assert_pinned("my work: the next paper", counts)


def test_the_gate_names_the_programmes_risks_overdue_for_review_and_their_overdue_actions(client, pmo, portfolio):
    from datetime import date

    from risks.models import Risk
    from tests.builders import draft_paper
    from workstreams.models import Programme

    today = timezone.localdate()
    category = RiskScheme.objects.get(is_current=True).categories.get(code="financial")
    scores = risk_services.Scores((4, 4), (4, 3), (2, 2))

    def raised(programme, title, on):
        register = risk_services.programme_register(programme, by=pmo)
        return risk_services.risk_raise(
            register=register, title=title, category=category, scores=scores, by=pmo, raised_on=on
        )

    old = raised(portfolio["programme"], "Vetting backlog", date(2024, 1, 10))
    closed = raised(portfolio["programme"], "Old estates risk", date(2024, 1, 10))
    fresh = raised(portfolio["programme"], "Fleet costs", today - timedelta(5))
    other = portfolio_services.programme_create(code="OTH", name="Other", by=pmo, reason="Set up")
    raised(other, "Another programme's risk", date(2024, 1, 10))
    risk_services.action_add(risk=old, description="Recruit two vetting officers " * 5, due_date=today - timedelta(1),
                             by=pmo)  # fmt: skip
    risk_services.action_add(risk=fresh, description="Re-tender the fleet lease", due_date=today - timedelta(3),
                             by=pmo)  # fmt: skip
    risk_services.action_add(risk=fresh, description="Not yet due", due_date=today + timedelta(3), by=pmo)
    risk_services.action_add(risk=closed, description="On a closed risk", due_date=today - timedelta(3), by=pmo)
    risk_services.risk_close(risk=closed, closed_reason="Gone", by=pmo)
    draft_paper(portfolio["programme"], pmo, meeting=today + timedelta(days=1))
    assert Programme.objects.count() == 2 and Risk.objects.count() == 4

    client.force_login(pmo)
    section = client.get(reverse("reporting:my_work_next_paper"))
    gate = {finding.code: finding for finding in section.context["gate"]}
    review = gate["risk-review-overdue"]
    assert [label for label, _ in review.items] == [f"{old.reference} Vetting backlog"]
    assert [url() for _, url in review.items] == [old.get_absolute_url()]
    actions = gate["action-overdue"]
    assert [label for label, _ in actions.items] == [
        f"{old.reference}: {('Recruit two vetting officers ' * 5)[:80]}",
        f"{fresh.reference}: Re-tender the fleet lease",
    ]
    assert [url() for _, url in actions.items] == [old.get_absolute_url(), fresh.get_absolute_url()]
    html = section.content.decode()
    assert "Risks overdue for review" in html and "Risk actions overdue" in html
