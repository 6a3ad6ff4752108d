"""Cached page content: what many people read and few change (a programme's board, dashboard, *what changed* and
report document), kept per programme, per what the page was asked for and per what the reader may do.

A cached fragment is keyed by its programme's *generation* and the organisation-wide generation: random tokens
in the cache itself. Every saved or deleted record in the apps that make those pages replaces the generation of
each programme it belongs to, or the organisation-wide one when that cannot be told (a scale, a user's name, a
moved project), at once and again when its transaction commits; a fragment under an old generation is never read
again and expires. A token that has dropped out of the cache is made anew, so a lost token can only cause a miss.

Fragments are the part of a page below the navigation, so the signed-in person's name, messages and CSRF token
are always rendered for the request; a fragment holding a form token is refused, never stored.

The cache is `CACHES["pages"]` (settings: Redis when CACHE_URL names it; local memory for one process; off when
several processes could not see each other's invalidations).
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.safestring import SafeString

log = logging.getLogger(__name__)

ALIAS = "pages"
EVERYWHERE = "all"
FROZEN = object()  # `fragment(programme_id=FROZEN)`: content that never changes once made
# Records whose saving never changes what a cached page shows: sign-in bookkeeping, queues, form receipts.
IGNORED_APPS = {"sessions", "axes", "admin", "contenttypes", "django_tasks_db", "authtoken"}
IGNORED_MODELS = {"changeprog.submission", "workstreams.importjob"}
# A sign-in stamps the person's last sign-in (and may re-store their password hash): nothing shown on a page.
QUIET_USER_FIELDS = {"last_login", "password"}
# How long one request may hold a page's rendering to itself, and how long others wait for it before rendering too.
RENDER_LOCK_SECONDS = 30
WAIT_SECONDS = 5


def cache():
    return caches[ALIAS]


def _token_key(scope) -> str:
    return f"gen:{scope}"


def _quietly(action, default=None):
    """A cache that is down costs speed, never a page or a save: the page is rendered afresh and the failure
    logged. (Cached content also expires after PAGE_CACHE_SECONDS, which bounds what a write made while the cache
    was unreachable could leave behind.)"""
    try:
        return action()
    except Exception:  # noqa: BLE001  # each cache backend raises its own errors (redis.exceptions, OSError, ...)
        log.warning("The page cache did not answer", exc_info=True)
        return default


def generations(programme_id: int) -> tuple[str, str]:
    """The current tokens of the organisation and of one programme (made if missing); empty when the cache is
    off or down."""
    keys = [_token_key(EVERYWHERE), _token_key(programme_id)]

    def read():
        found = cache().get_many(keys)
        missing = {key: secrets.token_hex(8) for key in keys if key not in found}
        if missing:
            # add(): a token another process made in the meantime wins; read back what is now there.
            for key, token in missing.items():
                cache().add(key, token, timeout=None)
            found = cache().get_many(keys)
        return found.get(keys[0], ""), found.get(keys[1], "")

    return _quietly(read, default=("", ""))


def fragment(
    request, name: str, *, programme_id: int, vary: Iterable = (), render: Callable[[], tuple[str, int]]
) -> tuple[str, int]:
    """`render()`'s (html, status) for this page, from the cache when the same programme, day, address and
    `vary` (what the reader may do) was rendered since the programme last changed. Only a 200 is kept.

    `programme_id=FROZEN` is for content that never changes once made (a published paper's document, rendered
    from its snapshot): no write touches it, and it is kept until it expires."""
    if programme_id is FROZEN:
        parts = [name, "frozen", request.get_full_path(), repr(tuple(vary))]
    else:
        everywhere, programme = generations(programme_id)
        if not everywhere or not programme:  # the cache is off (a dummy backend keeps nothing) or down
            request.page_cache = "off"
            return render()
        parts = [
            name,
            str(programme_id),
            everywhere,
            programme,
            timezone.localdate().isoformat(),  # "overdue", "no update this period" and the like move with the day
            request.get_full_path(),
            repr(tuple(vary)),
        ]
    key = "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    hit = _quietly(lambda: cache().get(key))
    # Stored as rendered: a template's SafeString (the cache pickles it, class and all). Anything else is not ours.
    if isinstance(hit, SafeString):
        request.page_cache = "hit"
        return hit, 200
    # One request renders a page that has just changed; the others asking for it meanwhile wait for its result
    # rather than all rendering it at once (a write must not set every reader of the programme to work).
    lock = f"{key}:rendering"
    if not _quietly(lambda: cache().add(lock, 1, timeout=RENDER_LOCK_SECONDS), default=True):
        waited = _wait_for(key)
        if waited is not None:
            request.page_cache = "waited"
            return waited, 200
    request.page_cache = "miss"
    try:
        html, status = render()
        if status == 200:
            if "csrfmiddlewaretoken" in html:
                raise ValueError(f"The cached fragment {name!r} holds a form token; move the form out of it.")
            _quietly(lambda: cache().set(key, html, timeout=settings.PAGE_CACHE_SECONDS))
    finally:
        _quietly(lambda: cache().delete(lock))
    return html, status


def _wait_for(key: str):
    """The fragment another request is rendering, once it is stored; None if it is not within WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        found = _quietly(lambda: cache().get(key))
        if isinstance(found, SafeString):
            return found
    return None


def touch(scopes: Iterable) -> None:
    """Give each scope (a programme's id, or EVERYWHERE) a new generation: its cached fragments are not read again."""
    tokens = {_token_key(scope): secrets.token_hex(8) for scope in set(scopes)}
    if tokens:
        _quietly(lambda: cache().set_many(tokens, timeout=None))


def touch_everything() -> None:
    touch([EVERYWHERE])


def programmes_of(instance, depth: int = 0) -> set | None:
    """The ids of the programmes a record belongs to, through every foreign key to a record that has a place
    (`PAGE_CACHE_PLACED`); None when that cannot be told: no such key is filled, one leads nowhere (an
    organisation-wide register), or the record is a workstream or project itself, which may have just moved."""
    label = instance._meta.label_lower
    if label == settings.PAGE_CACHE_ROOT:
        return {instance.pk} if instance.pk is not None else None
    if label in settings.PAGE_CACHE_STRUCTURAL and depth == 0:
        return None
    if depth > 4:
        return None
    placed = set(settings.PAGE_CACHE_PLACED)
    found: set = set()
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.related_model._meta.label_lower not in placed:
            continue
        related_id = getattr(instance, field.attname, None)
        if related_id is None:
            continue
        if field.related_model._meta.label_lower == settings.PAGE_CACHE_ROOT:
            found.add(related_id)
            continue
        parent = getattr(instance, field.name) if field.is_cached(instance) else None
        if parent is None:
            parent = field.related_model._base_manager.filter(pk=related_id).first()
        above = programmes_of(parent, depth + 1) if parent is not None else None
        if above is None:
            return None
        found |= above
    return found or None


def _ignored(sender) -> bool:
    meta = sender._meta
    return meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS


def _changed(sender, instance, **kwargs):
    if _ignored(sender):
        return
    fields = kwargs.get("update_fields")
    if fields and sender._meta.label_lower == settings.AUTH_USER_MODEL.lower() and set(fields) <= QUIET_USER_FIELDS:
        return
    try:
        scopes = programmes_of(instance) or {EVERYWHERE}
    except Exception:  # noqa: BLE001  # a record that cannot be placed touches everything, never nothing
        log.exception("Could not tell which programme %r belongs to", instance)
        scopes = {EVERYWHERE}
    touch(scopes)
    # Again once the change is visible to others: a page rendered in between from the old data is not kept.
    transaction.on_commit(lambda: touch(scopes), robust=True)


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and not _ignored(type(instance)):
        _changed(type(instance), instance)


def _migrated(sender, **kwargs):
    # A release migrates before it serves: data a migration rewrote, and templates it changed, are shown afresh.
    touch_everything()


def connect():
    post_migrate.connect(_migrated, dispatch_uid="changeprog-pagecache-migrate")
    post_save.connect(_changed, dispatch_uid="changeprog-pagecache-save")
    post_delete.connect(_changed, dispatch_uid="changeprog-pagecache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="changeprog-pagecache-m2m")


def cached_page(request, template: str, *, programme_id: int, around: dict, build, vary: Iterable = (), part="page"):
    """A page whose content (the template's partial `part`, "page" unless htmx asks for less) comes through the
    cache. `build()` gives the content's (context, status) and runs only on a miss; the page around it (title,
    breadcrumbs, navigation) is rendered from `around` for every request, with the content as `page_content`."""
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.template.loader import render_to_string

    def render_content():
        context, status = build()
        return render_to_string(f"{template}#{part}", context, request), status

    html, status = fragment(request, f"{template}#{part}", programme_id=programme_id, vary=vary, render=render_content)
    if part != "page":
        return HttpResponse(html, status=status)
    return render(request, template, {**around, "page_content": html}, status=status)


def check_shared_cache(app_configs=None, **kwargs):
    """`manage.py check --deploy`: without CACHE_URL a production server caches no pages (its processes could not
    see each other's invalidations), which is correct but slower."""
    from django.core.checks import Warning as CheckWarning

    backend = settings.CACHES.get(ALIAS, {}).get("BACKEND", "")
    if not settings.DEBUG and backend.endswith("DummyCache"):
        return [
            CheckWarning(
                "The page cache is off: CACHE_URL is not set.",
                hint="Set CACHE_URL=redis://host:6379/0 (one Redis server shared by every app server) to cache pages.",
                id="changeprog.W001",
            )
        ]
    return []
