"""The organisation's own words for its levels and lifecycle states: a council says Portfolios / Programmes /
Projects and "Paused" for deprioritised; the meaning of each state stays fixed."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from changeprog import vocabulary
from changeprog.governance import save_governed
from changeprog.models import Vocabulary
from workstreams import rules, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def council(pmo):
    return save_governed(
        Vocabulary(programme="Portfolio", programmes="Portfolios", workstream="Programme", workstreams="Programmes",
                   lifecycle_deprioritised="Paused", lifecycle_proposed="Under review"),
        by=pmo,
        reason="The council's words",
    )  # fmt: skip


def test_the_pages_use_the_organisations_words(client, viewer, pmo, portfolio, council):
    project = portfolio["project_b"]
    services.item_deprioritise(item=project, by=pmo, reason="Funding paused")
    client.force_login(viewer)
    page = client.get(reverse("workstreams:workstream_list")).content.decode()
    assert '<h1 class="h2">Programmes</h1>' in page
    assert ">Portfolios</a>" in page and ">Programmes</a>" in page  # the navigation
    projects = client.get(reverse("workstreams:project_list"))
    assert ("deprioritised", "Paused") in projects.context["filter"].form.fields["lifecycle"].choices
    assert "Paused" in client.get(project.get_absolute_url()).content.decode()
    programme_page = client.get(portfolio["programme"].get_absolute_url()).content.decode()
    assert '<h2 id="workstreams-heading" class="h4">Programmes</h2>' in programme_page
    assert '">Portfolios</a></li>' in programme_page  # the breadcrumb to the list of (what it calls) portfolios
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("workstreams:project_list"), {"export": "xlsx"}).content)
        ).active.iter_rows(values_only=True)
    )
    column = rows[0].index("Lifecycle")
    assert "Paused" in {row[column] for row in rows[1:]}


def test_a_word_changes_nothing_of_what_a_state_means(pmo, portfolio, council):
    project = portfolio["project_b"]
    services.item_deprioritise(item=project, by=pmo, reason="Paused")
    project.refresh_from_db()
    assert project.get_lifecycle_display() == "Paused"
    assert not rules.is_open(project)  # paused work is not open, whatever it is called


def test_the_words_are_read_once_per_request(client, viewer, portfolio, council):
    client.force_login(viewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("workstreams:project_list"))
    assert sum("changeprog_vocabulary" in q["sql"] for q in captured.captured_queries) == 1


def test_without_a_row_the_words_are_the_usual_ones(db):
    words = vocabulary.current()
    assert (words.programmes, words.workstream, vocabulary.lifecycle_label("closing")) == (
        "Programmes",
        "Workstream",
        "Closing",
    )


def test_a_change_is_kept_with_who_and_why(pmo, council):
    council.lifecycle_closing = "Winding down"
    save_governed(council, by=pmo, reason="Board wording")
    assert vocabulary.lifecycle_label("closing") == "Winding down"
    latest = Vocabulary.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (pmo, "Board wording")


def test_only_one_row_is_ever_kept(pmo, council):
    save_governed(Vocabulary(programme="Scheme"), by=pmo, reason="Again")
    assert Vocabulary.objects.count() == 1 and vocabulary.current().programme == "Scheme"
