"""Back up, then restore into an empty database: the same programmes, updates and history come back, and the
evidence files with them. Runs on whichever database the suite uses (SQLite or PostgreSQL)."""

import importlib
import sqlite3
from datetime import date

import pytest
import scratch_db  # scripts/scratch_db.py (pytest puts scripts/ on the path)
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from assurance import services as assurance_services
from assurance.models import Driver
from changeprog.backup import row_counts

pytestmark = pytest.mark.django_db(transaction=True)

HISTORY_SQL = (
    "SELECT id, as_of, history_type, history_change_reason, history_user_id "
    "FROM workstreams_historicalstatusupdate ORDER BY history_id"
)


@pytest.fixture
def shipped():
    """A transactional test starts from an empty database; put back what the migrations ship."""
    from tests.conftest import SHIPPED_DATA_MIGRATIONS

    for module in SHIPPED_DATA_MIGRATIONS:
        importlib.import_module(module).forwards(apps, None)


def snapshot(cursor):
    counts = row_counts(cursor)
    cursor.execute(HISTORY_SQL)
    history = [tuple(str(v) for v in row) for row in cursor.fetchall()]
    cursor.execute("SELECT code, name, organisation FROM workstreams_programme ORDER BY code")
    return counts, history, cursor.fetchall()


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the suite's own kind, and a cursor on it once restored."""
    if connection.vendor == "postgresql":
        import psycopg2

        settings = connection.settings_dict
        name = f"{settings['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = (
            f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or 'localhost'}:"
            f"{settings['PORT'] or 5432}/{name}"
        )

        def open_cursor():
            link = psycopg2.connect(
                dbname=name,
                user=settings["USER"],
                password=settings["PASSWORD"],
                host=settings["HOST"] or "localhost",
                port=settings["PORT"] or 5432,
            )
            return link, link.cursor()

        yield url, open_cursor
        with connection.cursor() as cursor:
            scratch_db.drop_database(cursor.cursor, name)  # the driver's own cursor, under Django's
    else:
        path = tmp_path / "restored.sqlite3"

        def open_cursor():
            link = sqlite3.connect(path)
            return link, link.cursor()

        yield f"sqlite:///{path}", open_cursor


def test_backup_then_restore_gives_back_the_same_programmes_updates_history_and_evidence(
    shipped, empty_database, tmp_path, evidence_store
):
    call_command("load_demo")
    pmo = get_user_model().objects.get(username="pmo")
    driver = Driver.objects.first()
    assurance_services.evidence_add(
        driver=driver,
        summary="Inspection closure pack",
        provided_on=date(2022, 5, 31),
        upload=SimpleUploadedFile("pack.pdf", b"%PDF-1.4 closure pack"),
        by=pmo,
    )
    with connection.cursor() as cursor:
        before = snapshot(cursor)
    assert before[0]["workstreams_statusupdate"] > 10 and len(before[1]) > 10

    archive = tmp_path / "changeprog.tar.gz"
    call_command("backup", "--output", str(archive))
    # Password hashes, sessions and evidence: the owner alone reads the archive.
    assert archive.stat().st_mode & 0o777 == 0o600
    url, open_cursor = empty_database
    restored_evidence = tmp_path / "restored-evidence"
    call_command("restore", str(archive), "--database-url", url, "--evidence-root", str(restored_evidence))

    link, cursor = open_cursor()
    try:
        after = snapshot(cursor)
    finally:
        link.close()
    assert after == before
    files = [p for p in restored_evidence.rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in files] == [b"%PDF-1.4 closure pack"]


def test_restore_refuses_a_database_that_already_holds_data(shipped, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("pg_restore itself refuses to overwrite existing tables; this checks the SQLite guard")
    from django.core.management.base import CommandError

    archive = tmp_path / "changeprog.tar.gz"
    call_command("backup", "--output", str(archive))
    # Password hashes, sessions and evidence: the owner alone reads the archive.
    assert archive.stat().st_mode & 0o777 == 0o600
    occupied = tmp_path / "occupied.sqlite3"
    link = sqlite3.connect(occupied)
    link.execute("CREATE TABLE t (x)")
    link.commit()
    link.close()
    with pytest.raises(CommandError, match="already holds a database"):
        call_command("restore", str(archive), "--database-url", f"sqlite:///{occupied}")
