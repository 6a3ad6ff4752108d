"""The page cache (changeprog.pagecache): the board, the dashboard, *what changed* and a report's document are
served from the cache until something they show changes, and no governed write ever leaves one stale. Runs on
local memory and, where TEST_REDIS_URL names a Redis server (CI starts one), on Redis too."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from changeprog import pagecache
from changeprog.env import env_caches
from changeprog.governance import save_governed
from tests import factories
from tests.conftest import client_for
from workstreams import services
from workstreams.models import Milestone, StatusLevel
from workstreams.services import RatingInput

DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@pytest.fixture
def world(pmo, lead_a, lead_b, viewer):
    portfolio = factories.make_portfolio(pmo=pmo, lead_a=lead_a, lead_b=lead_b)
    other = factories.make_programme(by=pmo, name="Another programme")
    other_ws = factories.make_workstream(other, by=pmo, name="Elsewhere", lead=lead_b)
    factories.make_project(other_ws, by=pmo, name="Project elsewhere")
    from reporting import services as report_services
    from reporting.models import Board
    from risks import services as risk_services
    from risks.models import RiskScheme

    scheme = RiskScheme.objects.get(is_current=True)
    register = risk_services.programme_register(portfolio["programme"], by=pmo)
    risk = risk_services.risk_raise(
        register=register,
        title="Supplier may fail",
        category=scheme.categories.get(code="financial"),
        scores=risk_services.Scores((3, 3), (3, 3), (1, 1)),
        workstream=portfolio["ws_a"],
        by=pmo,
        raised_on=date(2022, 4, 1),
    )
    draft = report_services.report_create_draft(
        board=Board.objects.get(name="Audit Committee"),
        programme=portfolio["programme"],
        meeting_date=date(2022, 6, 1),
        by=pmo,
    )
    return {**portfolio, "other": other, "risk": risk, "draft": draft, "pmo": pmo, "viewer": viewer}


def pages(world) -> dict:
    programme = world["programme"].pk
    return {
        "board": reverse("workstreams:board", args=[programme]),
        "dashboard": reverse("reporting:dashboard", args=[programme]),
        "changes": reverse("workstreams:changes", args=[programme]) + "?since=2000-01-01",
        "report": reverse("reporting:report", args=[world["draft"].pk]),
    }


def content(client, url) -> tuple[str, str]:
    """The cached part of the page and whether the cache answered ("hit") or not ("miss")."""
    response = client.get(url)
    assert response.status_code == 200
    html = _cached_part(response)
    assert html, f"{url} has no cached content"
    return str(html), response.wsgi_request.page_cache


def fresh(client, url) -> str:
    """The same content rendered from the database, the cache bypassed."""
    from django.conf import settings

    with override_settings(CACHES={**settings.CACHES, "pages": DUMMY}):
        response = client.get(url)
    return str(_cached_part(response))


def _cached_part(response):
    """A page's cached fragment, or the whole body of a section fetched on its own (My work's next paper)."""
    context = response.context or {}
    cached = context.get("page_content") or context.get("document_html")
    return cached or (response.content.decode() if not response.content.startswith(b"<!doctype") else "")


def record_status(world):
    red = StatusLevel.objects.get(scale__code="rag", code="RED")
    services.status_update_submit(
        subject=world["project_a"],
        as_of=date.today(),
        ratings=[RatingInput(world["programme"].dimensions.get(code="overall"), red)],
        reason="Supplier has gone into administration",
        by=world["pmo"],
    )


def rename_project(world):
    services.item_update(
        item=world["project_a"], changes={"name": "Project A renamed"}, by=world["pmo"], reason="New name"
    )


def move_project(world):
    services.project_move(project=world["project_a"], to=world["ws_b"], by=world["pmo"], reason="Belongs in B")


def rescore_risk(world):
    from risks import services as risk_services

    risk_services.risk_update(
        risk=world["risk"],
        changes={"title": "Supplier has failed", "current_impact": 5},
        by=world["pmo"],
        reason="Worse",
    )


def add_milestone(world):
    services.milestone_save(
        Milestone(project=world["project_a"], name="Cut-over", baseline_date=date(2022, 1, 1), tell_committee=True),
        by=world["pmo"],
        reason="Planned",
    )


def rename_lead(world):
    lead = world["ws_a"].lead
    lead.first_name, lead.last_name = "Renamed", "Person"
    lead.save()


def relabel_level(world):
    amber = StatusLevel.objects.get(scale__code="rag", code="AMBER")
    amber.label = "Amber (at risk)"
    save_governed(amber, by=world["pmo"], reason="Clearer words")


def rename_programme(world):
    services.item_update(
        item=world["programme"], changes={"name": "Transformation 2030"}, by=world["pmo"], reason="Renamed by the board"
    )


def edit_report_section(world):
    from reporting import services as report_services

    section = world["draft"].sections.filter(kind="narrative").first()
    report_services.report_section_update(section=section, text="New words for the committee.", by=world["pmo"])


WRITES = [
    record_status,
    rename_project,
    move_project,
    rescore_risk,
    add_milestone,
    rename_lead,
    relabel_level,
    rename_programme,
    edit_report_section,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__)
def test_no_governed_write_leaves_a_stale_cached_page(page_cache, world, client, write):
    """Every page is cached, then a write is made; each page then shows exactly what the database now says."""
    client_for(client, world["pmo"])  # the office reads drafts too
    urls = pages(world)
    before = {}
    for name, url in urls.items():
        content(client, url)
        before[name], source = content(client, url)
        assert source == "hit", f"{name} was not served from the cache the second time"
    write(world)
    changed = 0
    for name, url in urls.items():
        now, _ = content(client, url)
        assert now == fresh(client, url), f"{name} is stale after {write.__name__}"
        changed += now != before[name]
    assert changed, f"{write.__name__} changed none of the pages: the test would prove nothing"


def test_a_write_in_one_programme_keeps_the_other_programmes_pages_cached(page_cache, world, client):
    client_for(client, world["viewer"])
    elsewhere = reverse("workstreams:board", args=[world["other"].pk])
    content(client, elsewhere)
    record_status(world)
    assert content(client, elsewhere)[1] == "hit"
    assert content(client, pages(world)["board"])[1] == "miss"


def test_a_cached_page_costs_fewer_queries_and_shows_the_reader_their_own_name(page_cache, world, client):
    """The cached part is shared; the navigation around it (the reader's name, their form token) is theirs."""
    url = pages(world)["dashboard"]
    client_for(client, world["pmo"])
    with CaptureQueriesContext(connection) as first:
        content(client, url)
    client.logout()
    client_for(client, world["viewer"])
    with CaptureQueriesContext(connection) as second:
        html, source = content(client, url)
    assert source == "hit"
    assert len(second) < len(first) / 2, (len(first), len(second))
    page = client.get(url).content.decode()
    assert world["viewer"].username in page or world["viewer"].get_full_name() in page
    assert world["pmo"].get_full_name() not in page.split("<main", 1)[0]


def test_what_the_reader_may_do_keeps_pages_apart(page_cache, world, client):
    """The office (who may edit) and a viewer (who may not) never share a cached board."""
    url = pages(world)["board"]
    client_for(client, world["pmo"])
    content(client, url)
    client.logout()
    client_for(client, world["viewer"])
    assert content(client, url)[1] == "miss"


def test_signing_in_keeps_the_cache_but_a_new_person_does_not(page_cache, world, client):
    url = pages(world)["board"]
    client_for(client, world["viewer"])
    content(client, url)
    client.logout()
    response = client.post(
        reverse("login"), {"username": world["viewer"].username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert content(client, url)[1] == "hit"  # signing in stamps the person's last sign-in: nothing a page shows
    factories.UserFactory(username="someone")  # a person's name may appear on any page
    assert content(client, url)[1] == "miss"


def test_a_fragment_holding_a_form_token_is_refused(page_cache, rf):
    request = rf.get("/x/")
    with pytest.raises(ValueError, match="form token"):
        pagecache.fragment(
            request, "x", programme_id=1, render=lambda: ('<input name="csrfmiddlewaretoken" value="t">', 200)
        )


def test_a_refused_query_is_not_cached(page_cache, world, client):
    client_for(client, world["viewer"])
    url = pages(world)["board"] + "?as_at=not-a-date"
    assert client.get(url).status_code == 400
    assert client.get(url).wsgi_request.page_cache == "miss"


@pytest.mark.parametrize(
    ("url", "debug", "backend", "pages_backend"),
    [
        ("", True, "locmem.LocMemCache", "locmem.LocMemCache"),
        ("", False, "locmem.LocMemCache", "dummy.DummyCache"),  # several processes: no page cache without Redis
        ("redis://cache.internal:6379/0", False, "redis.RedisCache", "redis.RedisCache"),
        ("rediss://cache.internal:6380/1", False, "redis.RedisCache", "redis.RedisCache"),
        ("dummy://", True, "dummy.DummyCache", "dummy.DummyCache"),
    ],
)
def test_cache_url_chooses_the_cache(monkeypatch, url, debug, backend, pages_backend):
    monkeypatch.setenv("CACHE_URL", url)
    caches = env_caches("CACHE_URL", debug=debug)
    assert caches["default"]["BACKEND"].endswith(backend)
    assert caches["pages"]["BACKEND"].endswith(pages_backend)
    assert caches["default"]["KEY_PREFIX"] != caches["pages"]["KEY_PREFIX"]


def test_a_cache_url_of_another_kind_stops_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env_caches("CACHE_URL", debug=False)


def test_the_deploy_check_warns_when_a_production_server_caches_no_pages(settings):
    settings.DEBUG = False
    settings.CACHES = {**settings.CACHES, "pages": DUMMY}
    assert [w.id for w in pagecache.check_shared_cache()] == ["changeprog.W001"]
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    assert pagecache.check_shared_cache() == []


def test_a_cache_that_is_down_costs_speed_never_a_page_or_a_save(settings, world, client):
    """Redis unreachable: pages render from the database and writes are saved."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    client_for(client, world["pmo"])
    url = pages(world)["board"]
    assert content(client, url)[1] == "off"
    record_status(world)
    html, _ = content(client, url)
    assert "Not rated" in html or "Red" in html
    assert world["project_a"].status_updates.count() == 1


def test_while_one_request_renders_a_changed_page_the_others_wait_for_it(page_cache, rf, monkeypatch):
    """After a write, the first reader renders the page; a second reader arriving meanwhile is given that result
    instead of rendering it again."""
    import threading

    from django.utils.safestring import SafeString

    rendered = []
    rendering, release = threading.Event(), threading.Event()

    def slow_render():
        rendered.append(1)
        rendering.set()
        release.wait(5)
        return SafeString("<p>the page</p>"), 200

    first, second = rf.get("/board/"), rf.get("/board/")
    results = {}

    def read(name, request):
        results[name] = pagecache.fragment(request, "x", programme_id=7, render=slow_render)

    waiting = threading.Event()
    wait_for = pagecache._wait_for

    def noticed_wait_for(key):
        waiting.set()
        return wait_for(key)

    monkeypatch.setattr(pagecache, "_wait_for", noticed_wait_for)
    readers = [threading.Thread(target=read, args=("first", first))]
    readers[0].start()
    assert rendering.wait(5), "the first reader never began rendering"
    # The first reader holds the page's render lock until it is released; the second arrives meanwhile.
    readers.append(threading.Thread(target=read, args=("second", second)))
    readers[1].start()
    assert waiting.wait(5), "the second reader rendered instead of waiting"
    release.set()
    for reader in readers:
        reader.join()
    assert results["first"] == results["second"] == ("<p>the page</p>", 200)
    assert len(rendered) == 1
    assert (first.page_cache, second.page_cache) == ("miss", "waited")


def test_a_published_papers_document_stays_cached_through_writes_and_never_changes(page_cache, world, client):
    from reporting import quality
    from reporting import services as report_services

    published = world["draft"]
    findings = [finding.code for finding in quality.findings(published)]
    report_services.report_publish(report=published, by=world["pmo"], acknowledged=findings)
    client_for(client, world["pmo"])
    url = reverse("reporting:report", args=[published.pk])
    before, _ = content(client, url)
    record_status(world)
    rename_programme(world)
    after, source = content(client, url)
    assert source == "hit"
    assert after == before == fresh(client, url)


def test_the_offices_next_paper_on_my_work_is_cached_and_never_stale(page_cache, world, client):
    """My work's next paper composes the paper for its publish gate: cached, and afresh after any write."""
    from reporting import services as report_services
    from reporting.models import Board

    report_services.report_create_draft(
        board=Board.objects.get(name="Audit Committee"),
        programme=world["programme"],
        meeting_date=date.today() + timedelta(days=30),
        by=world["pmo"],
    )
    client_for(client, world["pmo"])
    url = reverse("reporting:my_work_next_paper")
    content(client, url)
    before, source = content(client, url)
    assert source == "hit" and "The next paper" in before
    record_status(world)
    after, source = content(client, url)
    assert source == "miss" and after == fresh(client, url)


def test_migrating_a_new_release_refreshes_every_cached_page(page_cache, world, client):
    from django.core.management.sql import emit_post_migrate_signal

    client_for(client, world["viewer"])
    url = pages(world)["board"]
    content(client, url)
    assert content(client, url)[1] == "hit"
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert content(client, url)[1] == "miss"


def test_an_imported_tracker_with_years_of_history_is_never_served_stale(page_cache, client, pmo, viewer):
    """Another organisation's tracker (thirteen years, a scale change, a rename) imported, its pages cached, then
    a further import of the latest month's updates: every page shows the new figures, never the cached ones."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from tests.workstreams.test_long_history_scenario import PROJECTS, WORKSTREAMS, build_history
    from workstreams.importer import import_tracker, template_workbook

    programme = build_history(pmo)["programme"]
    client_for(client, viewer)
    urls = {
        "board": reverse("workstreams:board", args=[programme.pk]),
        "dashboard": reverse("reporting:dashboard", args=[programme.pk]),
        "changes": reverse("workstreams:changes", args=[programme.pk]) + "?since=2026-07-01",
        "board as at 2016": reverse("workstreams:board", args=[programme.pk]) + "?as_of=2016-12-31",
    }
    before = {}
    for name, url in urls.items():
        content(client, url)
        before[name], source = content(client, url)
        assert source == "hit", name

    book = load_workbook(io.BytesIO(template_workbook()))
    day = date.today() - timedelta(days=1)
    for n in (0, 1, 2, 4, 5, 6):  # Project 03 was renamed after its history was imported
        book["Updates"].append(["ANY", WORKSTREAMS[n % 3], PROJECTS[n], day, "Overall", "Red", "Supplier failed", ""])
    out = io.BytesIO()
    book.save(out)
    result = import_tracker(SimpleUploadedFile("latest.xlsx", out.getvalue()), by=pmo, source="latest.xlsx")
    assert result.ok, result.problems[:5]

    for name in ("board", "dashboard", "changes"):
        after, source = content(client, urls[name])
        assert source == "miss", name
        assert after == fresh(client, urls[name]) and after != before[name], name
    assert "Supplier failed" in content(client, urls["changes"])[0]
    # The board as it stood in 2016 is the same figures as before the import, read afresh all the same.
    after, _ = content(client, urls["board as at 2016"])
    assert after == fresh(client, urls["board as at 2016"])
