"""The administrator sets the organisation up without code: each new kind of setting has a working admin page,
and a change made there keeps its reason (the rules are the models' own, so the admin cannot bypass them)."""

import pytest
from django.urls import reverse

from changeprog.models import CustomField, Vocabulary
from workstreams.models import Portfolio, Stage, StatusRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "admin:changeprog_customfield_add",
        "admin:changeprog_vocabulary_add",
        "admin:workstreams_stage_add",
        "admin:workstreams_portfolio_add",
        "admin:workstreams_statusrule_add",
        "admin:workstreams_project_changelist",
    ],
)
def test_each_setting_has_an_admin_page(client, superuser, portfolio, name):
    client.force_login(superuser)
    assert client.get(reverse(name)).status_code == 200


def test_a_custom_field_made_in_the_admin_keeps_its_reason_and_appears_on_the_projects_admin(
    client, superuser, portfolio
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:changeprog_customfield_add"),
        {"record": "project", "code": "tier", "label": "Tier", "type": "choice", "choices": "Tier 1\nTier 2",
         "order": 1, "active": "on", "change_reason": "The portfolio board's tiers"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    field = CustomField.objects.get(code="tier")
    assert field.history.get().history_change_reason == "The portfolio board's tiers"
    page = client.get(reverse("admin:workstreams_project_change", args=[portfolio["project_a"].pk]))
    assert "The organisation&#x27;s own fields" in page.content.decode() or "own fields" in page.content.decode()
    assert 'name="custom__tier"' in page.content.decode()


def test_a_rule_that_cannot_work_is_refused_in_the_admin_too(client, superuser, portfolio):
    client.force_login(superuser)
    overall = portfolio["programme"].dimensions.get(code="overall")
    response = client.post(
        reverse("admin:workstreams_statusrule_add"),
        {"dimension": overall.pk, "applies_to": "project", "name": "Broken", "method": "worst",
         "change_reason": "Try"},
    )  # fmt: skip
    assert response.status_code == 200  # shown again with the error
    assert "Projects have no children to roll up" in response.content.decode()
    assert not StatusRule.objects.exists()


def test_the_words_and_the_stages_are_set_in_the_admin(client, superuser, db):
    client.force_login(superuser)
    client.post(
        reverse("admin:workstreams_stage_add"),
        {"name": "Discovery", "order": 1, "active": "on", "change_reason": "Our stages"},
    )
    assert Stage.objects.get().name == "Discovery"
    words = {f.name: f.default for f in Vocabulary._meta.concrete_fields if f.name != "id"}
    words.update({"programmes": "Schemes", "change_reason": "Our words"})
    assert client.post(reverse("admin:changeprog_vocabulary_add"), words).status_code == 302
    assert Vocabulary.objects.get().programmes == "Schemes"
    assert (
        client.post(
            reverse("admin:workstreams_portfolio_add"), {"code": "P", "name": "Portfolio", "change_reason": "Set up"}
        ).status_code
        == 302
    )
    assert Portfolio.objects.get().code == "P"


def test_a_portfolio_status_is_corrected_in_the_admin_with_a_reason_and_its_rules(client, superuser, portfolio, rag):
    from workstreams.models import PortfolioStatus
    from workstreams.services import portfolio_status_record

    national = Portfolio.objects.create(code="NCP", name="National")
    status = portfolio_status_record(portfolio=national, level=rag["GREEN"], summary="On track", by=superuser)
    # As if its programmes had rolled up to Red when it was recorded.
    PortfolioStatus.objects.filter(pk=status.pk).update(rolled_up_level=rag["RED"], rolled_up_explanation="Red: x")
    client.force_login(superuser)
    url = reverse("admin:workstreams_portfoliostatus_change", args=[status.pk])
    assert client.get(reverse("admin:workstreams_portfoliostatus_add")).status_code == 403  # recorded on its page
    refused = client.post(url, {"level": rag["GREEN"].pk, "summary": "On track", "change_reason": "Typo"})
    assert refused.status_code == 200 and "say why it differs" in refused.content.decode()
    done = client.post(
        url,
        {
            "level": rag["GREEN"].pk,
            "summary": "On track",
            "difference_reason": "Recovery agreed",
            "change_reason": "Why",
        },
    )
    assert done.status_code == 302
    assert PortfolioStatus.objects.get().history.first().history_change_reason == "Why"
