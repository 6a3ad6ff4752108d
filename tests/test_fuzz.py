"""No server error from bad input: random and hostile values in every page's query string and in every form, as
each persona. A page answers what it can (200, a redirect) or refuses clearly (400, 403, 404, 405); never 500.
A refused write changes nothing."""

import string

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import MATRIX
from tests.world import world_fixture

pytestmark = pytest.mark.django_db

world = world_fixture()

# The names pages read from query strings and forms, so the fuzz reaches real code paths, plus made-up ones.
PARAMETERS = [
    "as_at", "recorded_on", "since", "until", "kind", "page", "sort", "export", "register", "status", "band",
    "level", "flag", "owner", "workstream", "lifecycle", "programme", "q", "manager", "lead", "national",
    "slipped", "category", "which", "scheme", "board", "meeting_date", "comparison_date", "name", "reason",
    "as_of", "closed_on", "forecast_end_date", "effective_date", "seen_version", "submission_token", "code",
    "title", "likelihood", "impact", "due_date", "file", "dry_run", "rating_overall", "reason_overall",
    "correction_reason", "held_on", "summary", "provided_on", "link", "accepted_on", "outcome", "decided_on",
    "baseline", "target", "value", "measured_on", "item", "to_project", "external_name", "needed_by",
    "username", "ip_address", "email", "old_password", "new_password1", "new_password2", "acknowledged",
    "supersedes", "section", "text", "format", "unknown_parameter",
]  # fmt: skip
HOSTILE = [
    "", " ", "0", "-1", "abc", "9" * 30, "1e309", "0001-01-01", "9999-12-31", "2022-02-30", "31/02/2022",
    "2022-06-01", "none", "null", "true", "[]", "{}", "'; DROP TABLE x; --", "<script>alert(1)</script>",
    "=HYPERLINK(1)", "\x00", "ï¿½", "../../etc/passwd", "%00", "-99999999999999999999", "1.5", "NaN",
]  # fmt: skip
values = st.one_of(st.sampled_from(HOSTILE), st.text(string.printable, max_size=40), st.integers().map(str))
# Every known name at once, each with its own value, so one request reaches whatever a page reads; Hypothesis
# narrows a failure down to the value that caused it. Then a few names alone, as a real request would send them.
queries = st.one_of(
    st.fixed_dictionaries(dict.fromkeys(PARAMETERS, values)),
    st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4),
)
FUZZ = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
PERSONAS = ["pmo", "viewer", None]


def every_name(value: str) -> dict:
    return dict.fromkeys(PARAMETERS, value)


def counts():
    models = [
        m
        for label in ("workstreams", "risks", "reporting", "assurance")
        for m in apps.get_app_config(label).get_models()
    ]
    return {m._meta.label: m.objects.count() for m in models}


def login(client, world, persona):
    client.logout()
    if persona:
        client.force_login(world[persona])


@pytest.fixture(autouse=True)
def evidence_store(settings, world):
    settings.EVIDENCE_ROOT = world["evidence_root"]
    return settings.EVIDENCE_ROOT


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_query_string_makes_a_page_fail(client, world, name, persona):
    url = reverse(name, args=MATRIX[name][0](world))
    login(client, world, persona)

    @FUZZ
    @given(query=queries)
    @example(query=every_name("abc"))
    @example(query=every_name("0001-01-01"))
    @example(query=every_name("-1"))
    @example(query=every_name("9" * 30))
    @example(query=every_name("\x00"))
    def visit(query):
        response = client.get(url, query)
        assert response.status_code < 500, f"GET {url} {query!r} as {persona}: {response.status_code}"

    visit()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_form_makes_a_page_fail_and_a_refused_one_changes_nothing(client, world, name, persona):
    url = reverse(name, args=MATRIX[name][0](world))
    login(client, world, persona)

    @FUZZ
    @given(data=queries)
    @example(data=every_name("abc"))
    @example(data=every_name("0001-01-01"))
    @example(data=every_name("-1"))
    @example(data=every_name("9" * 30))
    def submit(data):
        before = counts()
        response = client.post(url, data)
        assert response.status_code < 500, f"POST {url} {data!r} as {persona}: {response.status_code}"
        if response.status_code >= 400:
            assert counts() == before, f"POST {url} {data!r} as {persona} was refused but changed data"

    submit()
