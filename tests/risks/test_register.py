"""The risk register: raising and scoring risks, appetite, reviews, actions, rights and the pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from risks import services
from risks.models import Risk, RiskAction, RiskScheme
from risks.services import Scores
from tests.builders import build_portfolio
from tests.factories import risk_form
from tests.querycounts import assert_pinned

pytestmark = pytest.mark.django_db


def category(code):
    return RiskScheme.objects.get(is_current=True).categories.get(code=code)


@pytest.fixture
def register(portfolio, pmo):
    return services.programme_register(portfolio["programme"], by=pmo)


@pytest.fixture
def risk(register, portfolio, pmo):
    return services.risk_raise(
        register=register,
        title="IT capacity",
        category=category("financial"),  # tolerance 10
        scores=Scores((5, 4), (4, 3), (2, 2)),
        workstream=portfolio["ws_a"],
        owner=pmo,
        by=pmo,
        raised_on=date(2022, 4, 14),
    )


def test_risks_get_references_scores_bands_and_review_dates(register, risk, pmo):
    assert risk.reference == f"{register.code}-R001"
    assert (risk.inherent_score, risk.current_score, risk.target_score) == (20, 12, 4)
    assert risk.next_review_due == date(2022, 4, 14) + timedelta(days=91)  # Amber: quarterly
    second = services.risk_raise(
        register=register, title="Second", category=category("legal"), scores=Scores((1, 1), (1, 1), (1, 1)), by=pmo
    )
    assert second.reference == f"{register.code}-R002"


def test_outside_appetite_clears_when_the_current_likelihood_falls_and_history_keeps_who_and_why(client, risk, pmo):
    client.force_login(pmo)
    row = lambda: next(r for r in services_rows() if r.pk == risk.pk)  # noqa: E731
    assert row().outside_appetite  # 12 > 10
    response = client.post(
        reverse("risks:risk_review", args=[risk.pk]),
        {"reviewed_on": "2022-06-01", "current_likelihood": 3, "current_impact": 3, "reason": "New HR post funded"},
    )
    assert response.status_code == 302
    assert not row().outside_appetite  # 9
    latest = Risk.objects.get(pk=risk.pk).history.first()
    assert (latest.current_likelihood, latest.history_user, latest.history_change_reason) == (
        3,
        pmo,
        "New HR post funded",
    )
    assert Risk.objects.get(pk=risk.pk).direction == "better"


def services_rows():
    from risks.selectors import register_rows

    return list(register_rows())


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"current_likelihood": 6}, "current_likelihood", "Likelihood must be from 1 to 5; 6 is not."),
        ({"inherent_impact": 0}, "inherent_impact", "Impact must be from 1 to 5; 0 is not."),
    ],
)
def test_scores_off_the_scale_are_refused_and_nothing_is_saved(risk, pmo, changes, field, message):
    before = risk.history.count()
    with pytest.raises(ValidationError) as caught:
        services.risk_update(risk=risk, changes=changes, by=pmo, reason="Typo")
    assert caught.value.message_dict[field] == [message]
    assert risk.history.count() == before
    assert Risk.objects.get(pk=risk.pk).current_likelihood == 4


def test_a_category_from_another_scheme_is_refused(risk, pmo):
    newer = services.scheme_new_version(scheme=risk.scheme, by=pmo, reason="Trial")
    with pytest.raises(ValidationError) as caught:
        services.risk_update(risk=risk, changes={"category": newer.categories.first()}, by=pmo, reason="Recategorise")
    assert "this risk is scored with Corporate risk scheme v1" in caught.value.message_dict["category"][0]


def test_an_action_due_before_the_risk_was_raised_is_refused(risk, pmo):
    with pytest.raises(ValidationError) as caught:
        services.action_add(risk=risk, description="Too early", due_date=date(2022, 4, 1), by=pmo)
    assert caught.value.message_dict == {
        "due_date": ["An action cannot be due before the risk was raised (14 Apr 2022)."]
    }
    assert not RiskAction.objects.exists()


def test_overdue_reviews_and_actions_are_flagged(risk, pmo):
    services.action_add(risk=risk, description="Business case", due_date=date(2022, 7, 31), by=pmo)
    row = next(r for r in services_rows() if r.pk == risk.pk)
    assert row.review_overdue and row.action_overdue  # both dates are long past


@pytest.mark.parametrize(
    ("persona", "allowed"), [("pmo", True), ("lead_a", True), ("lead_b", False), ("viewer", False), ("no_role", False)]
)
def test_a_contributor_edits_only_risks_on_their_own_workstreams(client, request, risk, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("risks:risk_review", args=[risk.pk])
    response = client.post(
        url, {"reviewed_on": "2022-06-01", "current_likelihood": 2, "current_impact": 2, "reason": "x"}
    )
    assert response.status_code == (302 if allowed else 403)
    assert Risk.objects.get(pk=risk.pk).current_likelihood == (2 if allowed else 4)


def test_a_contributor_raises_risks_only_for_their_own_items(client, register, portfolio, lead_a):
    client.force_login(lead_a)
    url = reverse("risks:risk_create", args=[register.pk])
    data = risk_form(title="Mine")
    assert client.post(url, {**data, "workstream": portfolio["ws_a"].pk}).status_code == 302
    assert client.post(url, {**data, "title": "Theirs", "workstream": portfolio["ws_b"].pk}).status_code == 403
    assert list(Risk.objects.values_list("title", flat=True)) == ["Mine"]


def test_naming_ones_own_workstream_does_not_cover_someone_elses_project(client, register, portfolio, lead_a):
    client.force_login(lead_a)
    data = risk_form(title="Forged")
    url = reverse("risks:risk_create", args=[register.pk])
    forged = client.post(url, {**data, "workstream": portfolio["ws_a"].pk, "project": portfolio["project_b"].pk})
    assert forged.status_code == 403
    assert not Risk.objects.filter(title="Forged").exists()


def test_a_contributor_cannot_raise_a_risk_in_another_projects_register(client, portfolio, lead_a, pmo):
    from risks.models import Register

    theirs = Register.objects.create(
        level="project", code="PB", name="Project B register", project=portfolio["project_b"]
    )
    client.force_login(lead_a)
    data = risk_form(title="Forged")
    response = client.post(reverse("risks:risk_create", args=[theirs.pk]), {**data, "workstream": portfolio["ws_a"].pk})
    assert response.status_code == 403
    assert not Risk.objects.filter(title="Forged").exists()


def test_an_edit_cannot_move_a_risk_onto_someone_elses_work(client, risk, portfolio, lead_a):
    client.force_login(lead_a)
    data = risk_form(category=risk.category.pk, title=risk.title, reason="Moving it")
    url = reverse("risks:risk_edit", args=[risk.pk])
    moved = client.post(url, {**data, "workstream": portfolio["ws_b"].pk})
    assert moved.status_code == 403
    risk.refresh_from_db()
    assert risk.workstream == portfolio["ws_a"]
    kept = client.post(url, {**data, "workstream": portfolio["ws_a"].pk, "title": "IT capacity (renamed)"})
    assert kept.status_code == 302
    risk.refresh_from_db()
    assert risk.title == "IT capacity (renamed)"


def test_the_register_page_filters_and_exports_the_filtered_rows(client, risk, register, pmo, viewer):
    import io

    from openpyxl import load_workbook

    services.risk_raise(
        register=register, title="Low", category=category("partnership"), scores=Scores((1, 1), (1, 1), (1, 1)), by=pmo
    )
    client.force_login(viewer)
    html = client.get(reverse("risks:register_list"), {"flag": "outside-appetite"}).content.decode()
    assert "IT capacity" in html and ">Low<" not in html
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("risks:register_list"), {"band": "green", "export": "xlsx"}).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["Low"]


def test_the_heat_map_counts_risks_per_cell_and_links_to_them(client, risk, viewer):
    client.force_login(viewer)
    html = client.get(reverse("risks:heatmap")).content.decode()
    assert 'aria-label="Likelihood 4, impact 3: 1 risk, Amber"' in html
    inherent = client.get(reverse("risks:heatmap"), {"which": "inherent"}).content.decode()
    assert 'aria-label="Likelihood 5, impact 4: 1 risk, Red"' in inherent
    cell = client.get(
        reverse("risks:register_list"), {"which": "inherent", "likelihood": 5, "impact": 4}
    ).content.decode()
    assert "IT capacity" in cell


def test_the_risk_page_shows_its_score_history(client, risk, pmo, viewer):
    services.risk_review(
        risk=risk, reviewed_on=date(2022, 6, 1), current_likelihood=3, current_impact=3, by=pmo, reason="Mitigated"
    )
    client.force_login(viewer)
    html = client.get(risk.get_absolute_url()).content.decode()
    assert "4 × 3 = 12" in html and "3 × 3 = 9" in html and "Mitigated" in html


@pytest.mark.parametrize(
    "url_name", ["risks:register_list", "risks:outside_appetite", "risks:heatmap", "risks:escalations"]
)
def test_risk_pages_make_the_same_queries_at_two_sizes(client, pmo, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    counts = []
    for size in (5, 120):
        programme, streams, _ = build_portfolio(projects=5, by=pmo, updates_per_item=1)
        register = services.programme_register(programme, by=pmo)
        for n in range(size):
            r = services.risk_raise(
                register=register,
                title=f"Risk {n}",
                category=category(["financial", "people", "legal"][n % 3]),
                scores=Scores((5, 5), (1 + n % 5, 1 + (n // 5) % 5), (1, 1)),
                owner=pmo,
                by=pmo,
                raised_on=timezone.localdate() - timedelta(days=400),
            )
            services.action_add(risk=r, description="Do it", due_date=timezone.localdate() - timedelta(days=1), by=pmo)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert_pinned(url_name, counts)


def test_the_risk_page_makes_the_same_queries_whatever_its_history(client, risk, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    counts = []
    for reviews in (1, 30):
        for n in range(reviews):
            services.risk_review(
                risk=Risk.objects.get(pk=risk.pk),
                reviewed_on=date(2022, 6, 1),
                current_likelihood=1 + n % 5,
                current_impact=3,
                by=pmo,
                reason=f"Review {n}",
            )
            services.action_add(risk=risk, description=f"Action {n}", due_date=date(2022, 8, 1), by=pmo)
        with CaptureQueriesContext(connection) as ctx:
            client.get(risk.get_absolute_url())
        counts.append(len(ctx.captured_queries))
    assert_pinned("risks:risk", counts)


def test_the_registers_default_order_is_register_then_number_read_along_its_index(register, risk, pmo):
    """Ordering by "register" would follow Register's own ordering (its level and code) and sort every risk in the
    database before a page of 50; by the register's id and number, the unique index hands the page over in order."""
    from risks.selectors import register_rows

    second = services.risk_raise(
        register=register,
        title="Second",
        category=category("financial"),
        scores=Scores((3, 3), (2, 2), (1, 1)),
        owner=pmo,
        by=pmo,
        raised_on=date(2022, 5, 1),
    )
    rows = register_rows().filter(register=register)
    assert [r.pk for r in rows] == [risk.pk, second.pk]
    order_by = str(rows.query).rsplit("ORDER BY", 1)[1]
    assert '"risks_risk"."register_id" ASC' in order_by and '"risks_risk"."number" ASC' in order_by
    assert "risks_register" not in order_by
