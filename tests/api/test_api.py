"""The read-only API, as Power BI or a script would use it: a personal token, the same rights as the pages, pages
of records, filters (the organisation's own fields among them), "as at" a past date, and a fixed number of queries
per list whatever it holds."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from changeprog.governance import save_governed
from changeprog.models import CustomField
from risks import services as risk_services
from risks.models import RiskScheme
from tests.factories import make_project
from tests.querycounts import assert_pinned
from workstreams import services
from workstreams.models import Programme, StatusLevel
from workstreams.services import RatingInput

pytestmark = pytest.mark.django_db

LISTS = ["portfolio", "programme", "workstream", "project", "statusupdate", "risk", "benefit", "customfield"]


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def get(client, url, user=None, **params):
    headers = {"Authorization": f"Token {token_for(user)}"} if user is not None else {}
    return client.get(url, params, headers=headers)


@pytest.fixture
def rated(portfolio, pmo, rag):
    programme = portfolio["programme"]
    overall = programme.dimensions.get(code="overall")
    services.status_update_submit(
        subject=portfolio["project_a"],
        as_of=date(2024, 3, 31),
        ratings=[RatingInput(overall, rag["AMBER"], "Supplier late")],
        by=pmo,
    )
    services.status_update_submit(
        subject=portfolio["project_a"],
        as_of=date(2024, 4, 30),
        ratings=[RatingInput(overall, rag["RED"], "Supplier failed")],
        by=pmo,
    )
    return portfolio


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("persona", "status"), [("pmo", 200), ("lead_a", 200), ("viewer", 200), ("no_role", 403)])
def test_a_token_reads_what_its_owner_may_read(client, request, portfolio, name, persona, status):
    response = get(client, reverse(f"api:{name}-list"), request.getfixturevalue(persona))
    assert response.status_code == status
    if status == 200:
        assert set(response.json()) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("name", LISTS)
def test_without_a_token_the_api_answers_401_not_a_sign_in_page(client, name):
    response = client.get(reverse(f"api:{name}-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_wrong_token_is_refused(client, portfolio):
    response = client.get(reverse("api:project-list"), headers={"Authorization": "Token not-a-real-token"})
    assert response.status_code == 401


def test_the_api_cannot_write(client, pmo, portfolio):
    project = portfolio["project_a"]
    url = reverse("api:project-detail", args=[project.pk])
    headers = {"Authorization": f"Token {token_for(pmo)}"}
    for method in (client.post, client.put, client.patch, client.delete):
        response = method(url, {"name": "Changed"}, content_type="application/json", headers=headers)
        assert response.status_code in (403, 405)
    project.refresh_from_db()
    assert project.name == "Project A"


def test_projects_carry_their_headline_status_and_place(client, viewer, rated, rag):
    data = get(client, reverse("api:project-list"), viewer).json()
    project_a = next(row for row in data["results"] if row["name"] == "Project A")
    assert project_a["headline"] == {
        "label": "Red",
        "level_id": rag["RED"].pk,
        "severity": rag["RED"].severity,
        "as_of": "2024-04-30",
        "update_id": project_a["headline"]["update_id"],
    }
    assert project_a["workstream_id"] == rated["ws_a"].pk
    assert project_a["programme_id"] == rated["programme"].pk


def test_as_at_reads_the_portfolio_as_it_stood(client, viewer, pmo, rated):
    project = rated["project_a"]
    services.item_update(item=project, changes={"name": "Project A renamed"}, by=pmo, reason="New name")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    then = get(client, reverse("api:project-detail", args=[project.pk]), viewer, as_at="2024-04-15").json()
    assert (then["name"], then["headline"]["label"], then["headline"]["as_of"]) == ("Project A", "Amber", "2024-03-31")
    assert get(client, reverse("api:project-detail", args=[project.pk]), viewer).json()["name"] == "Project A renamed"
    assert get(client, reverse("api:project-detail", args=[project.pk]), viewer, as_at=yesterday).json()["name"] == (
        "Project A"
    )
    # Before it was on record, it is not there.
    assert get(client, reverse("api:project-detail", args=[project.pk]), viewer, as_at="2010-01-01").status_code == 404


@pytest.mark.parametrize("value", ["yesterday", "2024-02-30", "2999-01-01", ""])
def test_a_bad_as_at_is_a_400_with_the_reason(client, viewer, portfolio, value):
    response = get(client, reverse("api:project-list"), viewer, as_at=value)
    assert response.status_code == 400
    assert "as_at" in response.json()


def test_status_updates_filter_by_programme_kind_and_dates(client, viewer, rated, rag):
    url = reverse("api:statusupdate-list")
    rows = get(client, url, viewer, programme=rated["programme"].pk, subject="project", as_of_from="2024-04-01").json()
    assert rows["count"] == 1
    [update] = rows["results"]
    assert update["subject"] == "project" and update["subject_id"] == rated["project_a"].pk
    assert update["ratings"] == [
        {
            "dimension": "overall",
            "dimension_name": "Overall",
            "level": rag["RED"].code,
            "label": "Red",
            "colour": rag["RED"].colour,
            "severity": rag["RED"].severity,
            "is_rating": True,
            "reason": "Supplier failed",
        }
    ]
    other = Programme.objects.exclude(pk=rated["programme"].pk).first()
    if other is not None:
        assert get(client, url, viewer, programme=other.pk, subject="project").json()["count"] == 0


def test_projects_filter_by_their_own_fields(client, viewer, pmo, portfolio):
    save_governed(
        CustomField(record="project", code="tier", label="Tier", type="choice", choices="Tier 1\nTier 2"),
        by=pmo,
        reason="Tiers",
    )
    save_governed(CustomField(record="project", code="score", label="Score", type="whole"), by=pmo, reason="Scores")
    services.item_update(
        item=portfolio["project_a"], changes={"custom": {"tier": "Tier 1", "score": 40}}, by=pmo, reason="Set"
    )
    services.item_update(
        item=portfolio["project_b"], changes={"custom": {"tier": "Tier 2", "score": 9}}, by=pmo, reason="Set"
    )
    url = reverse("api:project-list")
    [row] = get(client, url, viewer, cf_tier="Tier 1").json()["results"]
    assert row["name"] == "Project A" and row["custom"] == {"tier": "Tier 1", "score": 40}
    assert [r["name"] for r in get(client, url, viewer, cf_score_min="10").json()["results"]] == ["Project A"]
    fields = get(client, reverse("api:customfield-list"), viewer).json()["results"]
    assert {(f["code"], f["type"]) for f in fields} == {("tier", "choice"), ("score", "whole")}


def test_risks_read_with_scores_and_as_at(client, viewer, pmo, portfolio):
    from risks.models import Risk

    scheme = RiskScheme.objects.get(is_current=True)
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    risk = risk_services.risk_raise(
        register=register,
        title="Supplier fails",
        category=scheme.categories.get(code="financial"),
        scores=risk_services.Scores((4, 4), (3, 4), (1, 2)),
        by=pmo,
        raised_on=date(2024, 1, 10),
    )
    risk_services.risk_review(
        risk=Risk.objects.get(pk=risk.pk),
        reviewed_on=timezone.localdate(),
        current_likelihood=2,
        current_impact=2,
        by=pmo,
        reason="Contract signed",
    )
    url = reverse("api:risk-detail", args=[risk.pk])
    now = get(client, url, viewer).json()
    assert (now["reference"], now["current_score"], now["inherent_score"]) == (risk.reference, 4, 16)
    then = get(client, url, viewer, as_at=(timezone.localdate() - timedelta(days=1)).isoformat()).json()
    assert then["current_score"] == 12 and then["reference"] == risk.reference


def test_pages_hold_100_and_say_where_the_next_is(client, viewer, pmo, portfolio):
    for n in range(120):
        make_project(portfolio["ws_b"], by=pmo, name=f"Bulk {n:03d}")
    first = get(client, reverse("api:project-list"), viewer).json()
    assert first["count"] == 122 and len(first["results"]) == 100 and "page=2" in first["next"]
    assert len(get(client, reverse("api:project-list"), viewer, page=2).json()["results"]) == 22
    assert len(get(client, reverse("api:project-list"), viewer, page_size=500).json()["results"]) == 122


@pytest.mark.parametrize("name", LISTS)
def test_each_list_costs_the_same_queries_at_any_size(client, viewer, pmo, portfolio, rag, name):
    url = reverse(f"api:{name}-list")
    key = token_for(viewer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers={"Authorization": f"Token {key}"}).status_code == 200
        return len(captured)

    def grow(n):
        overall = portfolio["programme"].dimensions.get(code="overall")
        scheme = RiskScheme.objects.get(is_current=True)
        register = risk_services.programme_register(portfolio["programme"], by=pmo)
        for index in range(n):
            project = make_project(portfolio["ws_a"], by=pmo, name=f"Grown {n}-{index}")
            services.status_update_submit(
                subject=project, as_of=date(2024, 5, 1), ratings=[RatingInput(overall, rag["GREEN"])], by=pmo
            )
            risk_services.risk_raise(
                register=register,
                title=f"Risk {n}-{index}",
                category=scheme.categories.get(code="financial"),
                scores=risk_services.Scores((3, 3), (3, 3), (1, 1)),
                project=project,
                by=pmo,
            )
        save_governed(
            CustomField(record="project", code=f"f{n}", label=f"Field {n}", type="text"), by=pmo, reason="More"
        )

    grow(2)
    small = count()
    grow(25)
    assert_pinned(f"api:{name}-list", [small, count()])


def test_a_person_makes_replaces_and_revokes_their_token(client, viewer, portfolio):
    client.force_login(viewer)
    page = client.get(reverse("api:token"))
    assert "You have no API token." in page.content.decode()
    client.post(reverse("api:token"), {"action": "create"})
    first = Token.objects.get(user=viewer).key
    assert first in client.get(reverse("api:token")).content.decode()
    client.post(reverse("api:token"), {"action": "create"})
    second = Token.objects.get(user=viewer).key
    assert second != first
    client.logout()
    assert client.get(reverse("api:project-list"), headers={"Authorization": f"Token {first}"}).status_code == 401
    assert client.get(reverse("api:project-list"), headers={"Authorization": f"Token {second}"}).status_code == 200
    client.force_login(viewer)
    client.post(reverse("api:token"), {"action": "revoke"})
    assert not Token.objects.filter(user=viewer).exists()
    client.logout()
    assert client.get(reverse("api:project-list"), headers={"Authorization": f"Token {second}"}).status_code == 401


def test_someone_without_a_role_gets_no_token(client, no_role):
    client.force_login(no_role)
    assert client.post(reverse("api:token"), {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=no_role).exists()


def test_an_unknown_token_action_is_a_400_and_changes_nothing(client, viewer, portfolio):
    key = token_for(viewer)
    client.force_login(viewer)
    assert client.post(reverse("api:token"), {"action": "steal"}).status_code == 400
    assert Token.objects.get(user=viewer).key == key


def test_the_schema_is_served_and_the_committed_copy_is_current(client, viewer, portfolio):
    response = get(client, reverse("api:schema"), viewer)
    assert response.status_code == 200
    served = yaml.safe_load(response.content)
    assert served["info"]["title"] == "ChangeProg API"
    assert {"/api/v1/projects/", "/api/v1/risks/", "/api/v1/status-updates/"} <= set(served["paths"])
    committed = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text())
    assert committed == served, "Regenerate it: python manage.py spectacular --file docs/openapi.yaml"


def test_the_levels_in_the_api_are_the_scales_own(client, viewer, rated):
    # Power BI colours its visuals from the API: the colour is the level's own, not a fixed RAG palette.
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    updates = get(client, reverse("api:statusupdate-list"), viewer, subject="project").json()["results"]
    assert red.colour in {r["colour"] for u in updates for r in u["ratings"]}


def test_a_portfolio_gives_its_rolled_up_status(client, viewer, pmo, portfolio, rag):
    from workstreams.models import Portfolio

    national = save_governed(Portfolio(code="NCP", name="National change"), by=pmo, reason="Set up")
    programme = portfolio["programme"]
    services.item_update(item=programme, changes={"portfolio": national}, by=pmo, reason="In it")
    services.status_update_submit(
        subject=programme,
        as_of=date(2024, 4, 30),
        ratings=[RatingInput(programme.dimensions.get(code="overall"), rag["AMBER"], "Stretched")],
        by=pmo,
    )
    listed = get(client, reverse("api:portfolio-list"), viewer).json()["results"]
    assert [(p["code"], p["name"]) for p in listed] == [("NCP", "National change")]
    one = get(client, reverse("api:portfolio-detail", args=[national.pk]), viewer).json()
    assert one["status"]["level"] == "AMBER"
    assert one["status"]["explanation"].startswith("Amber: the worst of 1 programme")
    assert get(client, reverse("api:programme-list"), viewer, portfolio=national.pk).json()["count"] == 1
