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
    assert {o.item.name for o in everyone} >= {portfolio["ws_a"].name, portfolio["ws_b"].name}
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

    from tests.builders import build_portfolio

    client.force_login(pmo)
    counts = []
    for size in (5, 120):
        build_portfolio(projects=size, by=pmo, updates_per_item=1)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("home (my work)", counts)
