"""Shared fixtures: the personas every view is checked against, and a small portfolio they work on.

Personas: a programme-office user; a contributor who leads workstream A; a contributor who leads
workstream B; a viewer; a signed-in user with no role; and the anonymous visitor (the plain `client`).
"""

import importlib

import pytest
from django.apps import apps

from tests import factories
from workstreams.models import StatusLevel


@pytest.fixture
def pmo(db):
    return factories.programme_office_user(username="pmo-user")


@pytest.fixture
def lead_a(db):
    return factories.contributor(username="lead-a")


@pytest.fixture
def lead_b(db):
    return factories.contributor(username="lead-b")


@pytest.fixture
def viewer(db):
    return factories.viewer(username="viewer-user")


@pytest.fixture
def no_role(db):
    return factories.UserFactory(username="no-role")


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def portfolio(pmo, lead_a, lead_b):
    """A programme with two workstreams (A led by lead_a, B by lead_b), each with one project."""
    return factories.make_portfolio(pmo=pmo, lead_a=lead_a, lead_b=lead_b)


@pytest.fixture
def rag(db):
    return {level.code: level for level in StatusLevel.objects.filter(scale__code="rag")}


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def has_badge(html: str, level) -> bool:
    """Whether the page shows `level` as a badge: its colour class and its label together."""
    import re

    pattern = rf'<span class="status-badge level-{level.pk}"[^>]*>{re.escape(level.label)}</span>'
    return re.search(pattern, html) is not None


@pytest.fixture(autouse=True)
def fresh_words():
    """Each test reads the organisation's words from its own database (a request would, at its start)."""
    from changeprog import vocabulary

    vocabulary.forget()
    yield
    vocabulary.forget()


@pytest.fixture(autouse=True)
def evidence_store(settings, tmp_path):
    """Uploaded evidence goes to a throwaway folder, never the real store."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


# The data migrations that ship defaults (scales, dimensions, roles), in the order they run.
SHIPPED_DATA_MIGRATIONS = [
    "workstreams.migrations.0002_default_scales_and_dimensions",
    "workstreams.migrations.0003_roles",
    "risks.migrations.0002_default_scheme",
    "risks.migrations.0003_roles",
    "risks.migrations.0005_corporate_register",
    "reporting.migrations.0002_shipped_templates",
    "reporting.migrations.0004_audit_committee_paper_in_full",
    "assurance.migrations.0002_roles",
    "reporting.migrations.0007_executive_summary_assurance",
]


@pytest.fixture
def shipped_data(transactional_db):
    """The live server needs committed data, so these tests flush the database after each test, which also
    empties what the data migrations shipped. Each such migration is idempotent; run it again."""
    for module in SHIPPED_DATA_MIGRATIONS:
        importlib.import_module(module).forwards(apps, None)


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache switched on for one test, empty: in local memory, and on the Redis server TEST_REDIS_URL
    names (CI starts one; without it the Redis run skips, or fails under REQUIRE_REDIS=1)."""
    import os
    import uuid

    from django.core.cache import caches

    if request.param == "redis":
        url = os.environ.get("TEST_REDIS_URL")
        if not url:
            reason = "TEST_REDIS_URL is not set"
            if os.environ.get("REQUIRE_REDIS") == "1":
                pytest.fail(f"{reason}, and REQUIRE_REDIS=1 requires the Redis cache tests to run.", pytrace=False)
            pytest.skip(f"{reason}; the page cache is tested on local memory only.")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-pages"}
    # Its own key prefix: parallel test processes share the Redis server, and emptying it would empty theirs.
    prefix = f"test-pages-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "pages": {**backend, "KEY_PREFIX": prefix}}
    yield caches["pages"]
    if request.param == "redis":
        client = caches["pages"]._cache.get_client(None, write=True)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    else:
        caches["pages"].clear()
