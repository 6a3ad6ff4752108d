"""The benchmark and the load test make their PostgreSQL databases under this checkout's own names, and drop only
a database they made: one of the same name made by anything else is left alone and the run stops."""

import os
import uuid

import pytest
import scratch_db  # scripts/scratch_db.py (pytest puts scripts/ on the path)
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_default_names_are_this_checkouts_own(monkeypatch):
    monkeypatch.delenv("CHANGEPROG_SCRATCH_DB_PREFIX", raising=False)
    name = scratch_db.name("bench_large")
    assert name.startswith("changeprog_") and name.endswith("_bench_large") and len(name) <= 63
    monkeypatch.setenv("CHANGEPROG_SCRATCH_DB_PREFIX", "Robert'); DROP TABLE")
    with pytest.raises(SystemExit, match="lower-case letters"):
        scratch_db.name("load")


def test_only_a_database_the_tool_made_is_dropped(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("The scratch databases are PostgreSQL's; SQLite's benchmark files live in the checkout.")
    import psycopg2

    settings = connection.settings_dict
    admin = f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres"
    monkeypatch.setenv("CHANGEPROG_SCRATCH_DB_PREFIX", f"cptest_{uuid.uuid4().hex[:10]}")
    database = scratch_db.name("load")
    link = psycopg2.connect(admin)
    link.autocommit = True
    try:
        with link.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')  # someone else's, unmarked
        with pytest.raises(SystemExit, match="was not made by this checkout's load test"):
            scratch_db.recreate(admin, "load", "load test")
        assert scratch_db.exists(admin, "load")  # left alone
        with link.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{database}"')
        scratch_db.recreate(admin, "load", "load test")
        scratch_db.recreate(admin, "load", "load test")  # its own: dropped and made again
        assert scratch_db.exists(admin, "load")
        with pytest.raises(SystemExit):
            scratch_db.recreate(admin, "load", "benchmark")  # another tool's mark is not its own
    finally:
        with link.cursor() as cursor:
            scratch_db.drop_database(cursor, database)
        link.close()
    assert os.environ["CHANGEPROG_SCRATCH_DB_PREFIX"].startswith("cptest_")


def test_a_database_is_dropped_even_with_a_session_of_ours_still_open_on_it(monkeypatch):
    """A plain DROP first (PostgreSQL itself stops an autovacuum worker on the database, which FORCE would refuse to
    a role that is not a superuser); a session of our own left open is ended by FORCE after the tries."""
    if connection.vendor != "postgresql":
        pytest.skip("The scratch databases are PostgreSQL's.")
    import psycopg2

    settings = connection.settings_dict
    address = f"{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    database = f"cptest_{uuid.uuid4().hex[:10]}_drop"
    link = psycopg2.connect(f"postgres://{address}/postgres")
    link.autocommit = True
    left_open = None
    try:
        with link.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database}"')
            left_open = psycopg2.connect(f"postgres://{address}/{database}")
            scratch_db.drop_database(cursor, database, tries=2)
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (database,))
            assert cursor.fetchone()[0] == 0
            scratch_db.drop_database(cursor, database, tries=1)  # gone already: nothing to do, no error
    finally:
        if left_open is not None:
            left_open.close()
        with link.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        link.close()
