"""Scratch PostgreSQL databases for the benchmark and the load test.

Their names come from CHANGEPROG_SCRATCH_DB_PREFIX, by default `changeprog_<user>_<8 hex of this checkout's
path>`, so two checkouts (or two people) on one machine never share, and never destroy, each other's data. A
database is marked when it is made (a comment on it naming the tool and the prefix), and only a database that
carries the mark for this prefix is ever dropped: a name that is taken by anything else stops the run with a
message instead.
"""

import getpass
import hashlib
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prefix() -> str:
    chosen = os.environ.get("CHANGEPROG_SCRATCH_DB_PREFIX")
    if not chosen:
        user = re.sub(r"[^a-z0-9]", "", getpass.getuser().lower())[:16] or "user"
        chosen = f"changeprog_{user}_{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}"
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", chosen):
        raise SystemExit("CHANGEPROG_SCRATCH_DB_PREFIX: lower-case letters, digits and _, at most 41, a letter first.")
    return chosen


def name(kind: str) -> str:
    return f"{prefix()}_{kind}"


def drop_database(cursor, database: str, *, tries: int = 5):
    """Drop `database` (if it exists) on a psycopg2 `cursor` in autocommit. A plain DROP first: PostgreSQL stops an
    autovacuum worker that has just started on the database and waits for it, where `WITH (FORCE)` would refuse a
    role that is not a superuser ("must be a member of the role whose process is being terminated"). A session of
    our own still open on it makes a plain DROP fail: after a few tries, FORCE ends those."""
    import time

    import psycopg2
    from psycopg2 import sql

    statement = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database))
    for _ in range(tries):
        try:
            cursor.execute(statement)
            return
        except psycopg2.errors.ObjectInUse:
            time.sleep(1)
    cursor.execute(statement + sql.SQL(" WITH (FORCE)"))


def url(admin_url: str, kind: str) -> str:
    return f"{admin_url.rpartition('/')[0]}/{name(kind)}"


def _mark(tool: str) -> str:
    return f"Scratch database made by ChangeProg's {tool} for {prefix()}; safe to drop."


def exists(admin_url: str, kind: str) -> bool:
    import psycopg2

    link = psycopg2.connect(admin_url)
    try:
        with link.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name(kind),))
            return cursor.fetchone() is not None
    finally:
        link.close()


def recreate(admin_url: str, kind: str, tool: str, *, template: str | None = None):
    """Drop the scratch database `kind` if this prefix's `tool` made it, then make it afresh and mark it: empty,
    or a copy of the scratch database `template` (which must carry this prefix's mark too). A database of that
    name made by anything else is left alone and the run stops."""
    import psycopg2
    from psycopg2 import sql

    database = name(kind)
    link = psycopg2.connect(admin_url)
    link.autocommit = True
    try:
        with link.cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (database,)
            )
            found = cursor.fetchone()
            if found is not None:
                if found[0] != _mark(tool):
                    raise SystemExit(
                        f"A database called {database} exists and was not made by this checkout's {tool}; it is left "
                        "alone. Set CHANGEPROG_SCRATCH_DB_PREFIX to another name."
                    )
                drop_database(cursor, database)
            if template is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            else:
                cursor.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                    (name(template),),
                )
                source = cursor.fetchone()
                if source is None or source[0] != _mark(tool):
                    raise SystemExit(f"{name(template)} is not this checkout's {tool} database; it is not copied.")
                cursor.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(database), sql.Identifier(name(template))
                    )
                )
            cursor.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(database), sql.Literal(_mark(tool)))
            )
    finally:
        link.close()
