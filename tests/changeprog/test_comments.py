"""Discussion threads on a status update, a risk and a draft paper: who may read and add, who resolves, and
what is kept."""

from datetime import date

import pytest
from django.urls import reverse

from changeprog import comments
from changeprog.models import Comment
from risks import services as risk_services
from risks.models import RiskScheme
from tests.builders import draft_paper, publish
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def update(pmo, portfolio, rag):
    dimension = services.dimensions_for(portfolio["ws_a"]).get(code="overall")
    return services.status_update_submit(
        subject=portfolio["ws_a"], as_of=date(2022, 6, 1), ratings=[RatingInput(dimension, rag["AMBER"], "Late")],
        by=pmo,
    )  # fmt: skip


@pytest.fixture
def risk(pmo, portfolio):
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    return risk_services.risk_raise(
        register=register, title="Funding gap", workstream=portfolio["ws_a"],
        category=RiskScheme.objects.get(is_current=True).categories.get(code="financial"),
        scores=risk_services.Scores((3, 3), (3, 3), (1, 1)), by=pmo, raised_on=date(2022, 4, 1),
    )  # fmt: skip


def thread_url(kind, obj):
    return reverse("comment_thread", args=[kind, obj.pk])


@pytest.mark.parametrize(("persona", "status"), [("pmo", 302), ("lead_b", 302), ("viewer", 302), ("no_role", 403)])
def test_everyone_who_reads_the_portfolio_joins_a_status_updates_discussion(client, request, update, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(thread_url("statusupdate", update), {"body": "Is June still realistic?"})
    assert response.status_code == status
    assert Comment.objects.count() == (1 if status == 302 else 0)


def test_a_comment_keeps_who_and_when_and_shows_on_the_thread_and_the_item_page(client, viewer, update, portfolio):
    client.force_login(viewer)
    client.post(thread_url("statusupdate", update), {"body": "Is June still realistic?"})
    comment = Comment.objects.get()
    assert (comment.author, comment.target, comment.resolved) == (viewer, update, False)
    assert comment.history.first().history_user == viewer
    thread = client.get(thread_url("statusupdate", update)).content.decode()
    assert "Is June still realistic?" in thread and "1 unresolved" in thread
    item_page = client.get(portfolio["ws_a"].get_absolute_url()).content.decode()
    assert "Discussion (1, 1 unresolved)" in item_page


@pytest.mark.parametrize(("persona", "may"), [("viewer", True), ("lead_a", True), ("pmo", True), ("lead_b", False)])
def test_the_author_or_whoever_runs_the_item_resolves_a_comment(client, request, viewer, update, persona, may):
    comment = comments.comment_add(target=update, body="Why Amber?", by=viewer)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.post(reverse("comment_resolve", args=[comment.pk]))
    comment.refresh_from_db()
    if may:
        assert response.status_code == 302 and comment.resolved_by == user and comment.resolved_at
        assert comment.history.first().history_change_reason == "Comment resolved"
    else:
        assert response.status_code == 403 and not comment.resolved


def test_a_comment_resolved_twice_says_who_resolved_it_first(client, pmo, lead_a, viewer, update):
    comment = comments.comment_add(target=update, body="Why Amber?", by=viewer)
    comments.comment_resolve(comment=comment, by=lead_a)
    client.force_login(pmo)
    response = client.post(reverse("comment_resolve", args=[comment.pk]), follow=True)
    assert "resolved this comment already" in response.content.decode()
    comment.refresh_from_db()
    assert comment.resolved_by == lead_a


def test_an_empty_or_overlong_comment_is_refused_with_the_input_kept(client, viewer, update):
    client.force_login(viewer)
    response = client.post(thread_url("statusupdate", update), {"body": "   "})
    assert response.status_code == 400 and 'id="form-errors"' in response.content.decode()
    response = client.post(thread_url("statusupdate", update), {"body": "x" * 4001})
    assert response.status_code == 400 and "x" * 100 in response.content.decode()
    assert not Comment.objects.exists()


def test_a_risk_carries_its_discussion_on_its_page(client, lead_b, risk):
    client.force_login(lead_b)
    response = client.post(
        thread_url("risk", risk), {"body": "Has the grant been confirmed?", "next": risk.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == risk.get_absolute_url()
    assert "Has the grant been confirmed?" in client.get(risk.get_absolute_url()).content.decode()


def test_an_outside_address_in_next_is_not_followed(client, viewer, update):
    client.force_login(viewer)
    response = client.post(thread_url("statusupdate", update), {"body": "Hello", "next": "https://evil.example/"})
    assert response["Location"] == thread_url("statusupdate", update)


def test_a_draft_papers_discussion_is_the_offices_and_closes_when_it_is_published(client, pmo, viewer, portfolio):
    paper = draft_paper(portfolio["programme"], pmo)
    client.force_login(viewer)
    assert client.post(thread_url("report", paper), {"body": "Let me see"}).status_code == 403
    client.force_login(pmo)
    assert client.post(thread_url("report", paper), {"body": "Tighten para 2"}).status_code == 302
    assert "Tighten para 2" in client.get(paper.get_absolute_url()).content.decode()
    publish(paper, pmo)
    response = client.post(thread_url("report", paper), {"body": "Too late"})
    assert response.status_code == 400 and "drafting discussion is closed" in response.content.decode()
    assert Comment.objects.count() == 1


def test_unknown_kinds_and_records_are_not_found(client, viewer, update):
    client.force_login(viewer)
    assert client.get(reverse("comment_thread", args=["user", viewer.pk])).status_code == 404
    assert client.get(reverse("comment_thread", args=["statusupdate", 999999])).status_code == 404


def test_a_thread_makes_the_same_queries_however_long_it_is(client, viewer, pmo, update):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    counts = []
    for n in (2, 40):
        for i in range(n - Comment.objects.count()):
            comments.comment_add(target=update, body=f"Point {i}", by=pmo)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(thread_url("statusupdate", update)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned("comment_thread", counts)
