"""Reading settings from the environment, with errors that name the variable at fault."""

import json
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def env_str(name: str, *, default: str | None | object = _MISSING) -> str:
    value = os.environ.get(name)
    if value is not None:
        return value
    if default is _MISSING or default is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return default


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"The environment variable {name} must be true or false, not {value!r}.")


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number, not {value!r}.") from exc


def env_json(name: str, *, default: dict) -> dict:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        found = json.loads(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} must be a JSON object: {exc}.") from exc
    if not isinstance(found, dict):
        raise ImproperlyConfigured(f'The environment variable {name} must be a JSON object, like {{"key": "value"}}.')
    return found


def env_list(name: str, *, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name: str, *, default: str) -> dict:
    url = os.environ.get(name) or default
    try:
        conn_max_age = int(os.environ.get("CONN_MAX_AGE", "0"))
    except ValueError as exc:
        raise ImproperlyConfigured("The environment variable CONN_MAX_AGE must be a whole number of seconds.") from exc
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    except Exception as exc:  # dj-database-url raises several unrelated types for a bad URL
        raise ImproperlyConfigured(
            f"The environment variable {name} is not a database URL ChangeProg can use ({exc}). "
            "Expected e.g. postgres://user:password@host:5432/name or sqlite:////path/to/db.sqlite3"
        ) from exc
    if config.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(f"The environment variable {name} must name a PostgreSQL or SQLite database.")
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler costs tens of milliseconds on a query the planner guesses is big (a window of a
        # programme's updates), more than it saves on queries that read a page's worth of rows: off, as a startup
        # option. DATABASE_STARTUP_OPTIONS replaces it (empty: none, for a pooler that refuses startup options);
        # the URL's own ?options=... wins over both.
        startup = os.environ.get("DATABASE_STARTUP_OPTIONS", "-c jit=off").strip()
        if startup:
            config.setdefault("OPTIONS", {}).setdefault("options", startup)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one request writes; the timeout waits out a writer instead of failing.
        config.setdefault("OPTIONS", {}).update({"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"})
    return config


def env_caches(name: str, *, debug: bool) -> dict:
    """CACHES from one URL: redis://host:6379/0 (or rediss://) for Django's Redis cache, shared by every app server;
    locmem:// for one process's memory; dummy:// for none. Unset: local memory, with the page cache on only while
    debugging (one process), since processes that cannot see each other's invalidations must not cache pages."""
    url = os.environ.get(name, "").strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if url and scheme not in {"redis", "rediss", "locmem", "dummy"}:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be a redis://, rediss://, locmem:// or dummy:// URL, not {url!r}."
        )
    backends = {
        # A cache that does not answer within a second is treated as down (changeprog.pagecache renders afresh).
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    kind = {"rediss": "redis"}.get(scheme, scheme) or "locmem"
    default = {**backends[kind], "KEY_PREFIX": "changeprog"}
    pages = {**backends[kind if url or debug else "dummy"], "KEY_PREFIX": "changeprog-pages"}
    if kind == "locmem":
        pages["LOCATION"] = "changeprog-pages"
        pages.setdefault("OPTIONS", {})["MAX_ENTRIES"] = 2000
    return {"default": default, "pages": pages}


def parse_group_map(text: str) -> dict[str, str]:
    """ "claim value=Group name;other=Other group" as {claim value: group name}."""
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(";"))):
        value, _, group = pair.partition("=")
        if not value.strip() or not group.strip():
            raise ValueError(f"OIDC_GROUP_MAP entries are claim=Group name; {pair!r} is not one.")
        mapping[value.strip()] = group.strip()
    return mapping
