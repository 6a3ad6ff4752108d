"""Prioritising projects by the risk of not progressing them: assessments, versions of the scheme, the ranking."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from risks import selectors, services
from risks.models import BandCell, PriorityAssessment, RiskCategory, RiskScheme
from risks.services import ImpactInput
from tests.builders import build_portfolio
from tests.querycounts import assert_pinned
from workstreams.models import Programme

pytestmark = pytest.mark.django_db


def scheme():
    return RiskScheme.objects.get(is_current=True)


def impacts(**values):
    categories = {c.code: c for c in scheme().categories.all()}
    return [ImpactInput(categories[code], values.get(code, 0), f"because {code}") for code in categories]


def assess(project, by, likelihood=3, **values):
    return services.assessment_record(
        project=project, likelihood=likelihood, impacts=impacts(**values), by=by, assessed_on=date(2022, 5, 31)
    )


def test_the_demo_ranking_comes_out_of_the_method_and_explains_each_band(client, viewer):
    call_command("load_demo")
    programme = Programme.objects.get(code="T2025")
    ranked, unassessed = selectors.ranking(programme)
    bands = [row.priority.band for row in ranked]
    assert bands == sorted(bands, key=["red", "amber", "green-yellow"].index)
    assert {row.project.name for row in ranked if row.priority.band == "red"} == {
        "Resource Management business design",
        "Coaching for frontline teams",
        "FCR technology stabilisation",
    }
    assert not unassessed
    client.force_login(viewer)
    html = client.get(reverse("risks:ranking", args=[programme.pk])).content.decode()
    assert "An impact of 4 or more in 4 of 7 categories: at least half of them." in html
    assert "Peak score 20 (likelihood 4 × impact 5) is 15 or more." in html
    assert "Peak score 4 is below 8 and no category reaches an impact of 4." in html
    assert "Driven by: Operational / service delivery &amp; public safety, Financial" in html


@pytest.mark.parametrize(
    ("persona", "allowed"), [("pmo", True), ("lead_a", True), ("lead_b", False), ("viewer", False)]
)
def test_who_may_assess_a_project(client, request, portfolio, persona, allowed):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("risks:assess", args=[portfolio["project_a"].pk])
    data = {"assessed_on": "2022-05-31", "likelihood": 4, "confidence": "high", "impact_operational": 5}
    get, post = client.get(url), client.post(url, data)
    assert (get.status_code, post.status_code) == ((200, 302) if allowed else (403, 403))
    assert PriorityAssessment.objects.exists() == allowed


def test_a_double_submit_of_an_assessment_records_it_once(client, portfolio, pmo):
    client.force_login(pmo)
    url = reverse("risks:assess", args=[portfolio["project_a"].pk])
    token = client.get(url).context["submission_token"]
    data = {"assessed_on": "2022-05-31", "likelihood": 4, "confidence": "high", "impact_operational": 5}
    first, second = (
        client.post(url, {**data, "submission_token": token}),
        client.post(url, {**data, "submission_token": token}),
    )
    assert first.status_code == second.status_code == 302
    assert PriorityAssessment.objects.count() == 1


def test_the_form_shows_the_descriptors_as_help(client, portfolio, pmo):
    client.force_login(pmo)
    html = client.get(reverse("risks:assess", args=[portfolio["project_a"].pk])).content.decode()
    assert "5 Critical – Over £5m, or an unfunded pressure that threatens a balanced budget." in html
    assert "4 Likely – Will probably occur; has happened here before; 51–80%." in html


def test_likelihood_6_and_impact_6_are_refused_with_clear_messages_and_nothing_is_saved(portfolio, pmo):
    with pytest.raises(ValidationError) as caught:
        assess(portfolio["project_a"], pmo, likelihood=6, operational=6)
    assert caught.value.message_dict == {
        "likelihood": ["Likelihood must be one of 1, 2, 3, 4, 5; 6 is not."],
        "impact_operational": ["Impact must be from 0 (none) to 5; 6 is not."],
    }
    assert not PriorityAssessment.objects.exists()


def test_a_category_from_another_scheme_is_refused(portfolio, pmo):
    other = services.scheme_new_version(scheme=scheme(), by=pmo, reason="Trial")
    old = RiskCategory.objects.filter(scheme=other.previous).first()
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(
            project=portfolio["project_a"],
            likelihood=3,
            impacts=[ImpactInput(old, 3)],
            by=pmo,
            assessed_on=date(2022, 5, 31),
        )
    assert "belongs to another scheme" in caught.value.message_dict[f"impact_{old.code}"][0]


def test_editing_a_scheme_in_use_makes_a_new_version_and_old_scores_stand(portfolio, pmo):
    original = scheme()
    first = assess(portfolio["project_a"], pmo, likelihood=3, operational=3)  # peak 9: Amber
    changed = services.scheme_change(scheme=original, by=pmo, reason="Raise the Amber threshold", amber_peak=10)
    assert (changed.version, changed.previous, changed.is_current) == (2, original, True)
    original.refresh_from_db()
    assert (original.amber_peak, original.is_current) == (8, False)
    history = selectors.assessment_history(portfolio["project_a"])
    assert history[0][0] == first and history[0][1].band == "amber"  # still scored with version 1
    second = assess(portfolio["project_a"], pmo, likelihood=3, operational=3)
    assert second.scheme == changed
    assert selectors.assessment_history(portfolio["project_a"])[0][1].band == "green-yellow"


def test_a_scheme_not_yet_used_is_changed_in_place(pmo):
    original = scheme()
    changed = services.scheme_change(scheme=original, by=pmo, reason="Recolour", cells={(3, 3): "red"})
    assert changed == original
    assert BandCell.objects.get(scheme=original, likelihood=3, impact=3).band.code == "red"


def test_a_grid_that_leaves_a_cell_empty_is_refused(pmo):
    BandCell.objects.filter(scheme=scheme(), likelihood=3, impact=4).delete()
    with pytest.raises(ValidationError) as caught:
        services.scheme_check(scheme())
    assert caught.value.messages == [
        "The band grid does not fit the scheme's scales.",
        "Likelihood 3 × impact 4 has no band.",
    ]


def test_a_grid_cell_off_the_scales_is_refused(pmo):
    with pytest.raises(ValidationError) as caught:
        services.scheme_change(scheme=scheme(), by=pmo, reason="Typo", cells={(6, 1): "red"})
    assert "Likelihood 6 × impact 1 is not on the scheme's scales." in caught.value.messages
    assert not BandCell.objects.filter(likelihood=6).exists()


def test_a_reassessment_shows_its_movement(client, portfolio, pmo):
    assess(portfolio["project_a"], pmo, likelihood=3, operational=3)
    assess(portfolio["project_a"], pmo, likelihood=4, operational=5)
    client.force_login(pmo)
    html = client.get(reverse("risks:ranking", args=[portfolio["programme"].pk])).content.decode()
    assert "up from Amber" in html


def test_the_ranking_makes_the_same_queries_at_two_sizes(client, pmo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pmo)
    counts = []
    for size in (5, 200):
        programme, _, projects = build_portfolio(projects=size, by=pmo, updates_per_item=1)
        for n, project in enumerate(projects):
            assess(project, pmo, likelihood=1 + n % 5, operational=n % 6)
            assess(project, pmo, likelihood=1 + (n + 1) % 5, financial=(n + 2) % 6)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("risks:ranking", args=[programme.pk])).content.decode()
        counts.append(len(ctx.captured_queries))
        assert html.count('<tr class="ranked ranked-') == size
    assert_pinned("risks:ranking", counts)


# The ranking's rows as the page's template wrote them before they were written in Python.
TEMPLATE_ROWS = """{% load changeprog %}{% for row in ranked %}
    <tr class="ranked ranked-{{ row.priority.band }}">
      <td>{{ row.rank }}</td>
      <th scope="row"><a href="{{ row.project.get_absolute_url }}">{{ row.project.name }}</a><div class="small fw-normal text-body-secondary">{{ row.project.workstream.name }}</div></th>
      <td><span class="priority priority-{{ row.priority.band }}">{{ row.priority.label }}</span>{% if row.priority.mandatory %} <span class="badge text-bg-dark">Mandatory</span>{% endif %}</td>
      <td>{{ row.priority.rule }}{% if row.priority.drivers %}<div class="small">Driven by: {{ row.priority.drivers|join:", " }}</div>{% endif %}</td>
      <td>{{ row.priority.peak }}{% if row.priority.peak_band %} <span class="small">({{ row.priority.peak_band.label }})</span>{% endif %}</td>
      <td>{{ row.priority.breadth }}</td>
      <td>{{ row.priority.weighted_display }}</td>
      <td>{% if row.movement == "new" %}First assessment{% elif row.movement == "same" %}No change ({{ row.previous.label }}){% elif row.movement == "up" %}<span aria-hidden="true">▲</span> up from {{ row.previous.label }}{% else %}<span aria-hidden="true">▼</span> down from {{ row.previous.label }}{% endif %}</td>
      <td class="small">{{ row.assessment.assessed_on|short_date }}<br>{{ row.assessment.assessed_by|person:"" }}{% if can_edit %}<br><a href="{% url 'risks:assess' row.project.pk %}">Re-assess<span class="visually-hidden"> {{ row.project.name }}</span></a>{% endif %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


def test_the_rankings_rows_read_as_its_template_wrote_them(client, pmo, viewer):
    import re

    from django.template import engines

    from workstreams import services as portfolio_services

    programme, _, projects = build_portfolio(projects=6, by=pmo, updates_per_item=1)
    portfolio_services.item_update(
        item=projects[0], changes={"name": "Fleet & <custody>"}, by=pmo, reason="Renamed by the board"
    )
    projects[0].refresh_from_db()
    assess(projects[0], pmo, likelihood=2, operational=2)  # new: one assessment only
    for project, (first, then) in zip(projects[1:4], [(2, 5), (5, 1), (3, 3)], strict=True):  # up, down, same
        assess(project, pmo, likelihood=first, operational=first, financial=first)
        assess(project, pmo, likelihood=then, operational=then, financial=then)
    services.assessment_record(
        project=projects[4], likelihood=1, impacts=impacts(), by=pmo, assessed_on=date(2022, 6, 1), mandatory=True
    )
    ranked, _ = selectors.ranking(programme)
    assert {row.movement for row in ranked} == {"new", "up", "down", "same"}
    assert any(row.priority.mandatory for row in ranked) and any(row.priority.drivers for row in ranked)
    template = engines["django"].from_string(TEMPLATE_ROWS)

    def rows(html):
        body = html.split("<tbody>")[1].split("</tbody>")[0]
        return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", body)).strip()

    for person, can_edit in ((pmo, True), (viewer, False)):
        client.force_login(person)
        page = client.get(reverse("risks:ranking", args=[programme.pk]))
        expected = template.render({"ranked": page.context["ranked"], "can_edit": can_edit})
        assert rows(page.content.decode()) == rows(f"<tbody>{expected}</tbody>")
        assert ("Re-assess" in page.content.decode()) is can_edit
    assert "Fleet &amp; &lt;custody&gt;" in rows(page.content.decode())
