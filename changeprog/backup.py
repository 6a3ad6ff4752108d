"""Backing up and restoring ChangeProg: the database (PostgreSQL through pg_dump / pg_restore, SQLite through
its online backup) and the evidence files, together in one .tar.gz with a manifest.

The archive holds:
  manifest.json      what made it, when, from which engine, and row counts to check a restore against
  database.dump      PostgreSQL custom-format dump (pg_restore reads it), or
  database.sqlite3   a consistent copy of the SQLite database
  evidence/...       the uploaded evidence files
"""

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump and pg_restore, found on the PATH, with fixed arguments
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection

COUNTED = [
    "workstreams_programme",
    "workstreams_statusupdate",
    "workstreams_historicalstatusupdate",
    "workstreams_historicalworkstream",
    "risks_risk",
    "reporting_report",
]


class BackupError(Exception):
    pass


def _pg_env(config: dict) -> dict:
    env = {**os.environ, "PGPASSWORD": str(config.get("PASSWORD") or "")}
    return env


def _pg_args(config: dict) -> list[str]:
    args = ["--host", str(config.get("HOST") or "localhost"), "--port", str(config.get("PORT") or 5432)]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (on Debian: apt-get install postgresql-client).")
    return path


def row_counts(cursor) -> dict:
    counts = {}
    for table in COUNTED:
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608  # nosec B608 - a constant table name
        counts[table] = cursor.fetchone()[0]
    return counts


def backup(output: Path) -> dict:
    """Write a backup archive of the configured database and the evidence store to `output`."""
    config = connection.settings_dict
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if engine == "postgresql":
            target = work / "database.dump"
            result = subprocess.run(  # noqa: S603  # nosec B603 - fixed program, arguments from settings
                [
                    _program("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(target),
                    *_pg_args(config),
                    config["NAME"],
                ],
                env=_pg_env(config),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            target = work / "database.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(target)
            with copy:
                connection.connection.backup(copy)
            copy.close()
        with connection.cursor() as cursor:
            counts = row_counts(cursor)
        manifest = {
            "made_by": "ChangeProg",
            "made_at": datetime.now(UTC).isoformat(),
            "engine": engine,
            "counts": counts,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        output.parent.mkdir(parents=True, exist_ok=True)
        # The archive holds password hashes, sessions and every evidence file: readable by its owner only,
        # from the moment it exists (not chmod-ed afterwards).
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(work / "manifest.json", "manifest.json")
            archive.add(target, target.name)
            evidence = Path(settings.EVIDENCE_ROOT)
            if evidence.is_dir():
                archive.add(evidence, "evidence")
    return manifest


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds an unsafe entry: {member.name}")
        yield member


def restore(archive_path: Path, *, database_url: str | None = None, evidence_root: Path | None = None) -> dict:
    """Restore a backup into an empty database (the configured one, or `database_url`) and evidence store."""
    evidence_root = Path(evidence_root or settings.EVIDENCE_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r:gz") as archive:
        work = Path(work)
        archive.extractall(work, members=list(_safe_members(archive)), filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        config = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        is_pg = "postgresql" in config["ENGINE"]
        if manifest["engine"] != ("postgresql" if is_pg else "sqlite"):
            raise BackupError(
                f"This is a {manifest['engine']} backup; restore it into a {manifest['engine']} database."
            )
        if is_pg:
            result = subprocess.run(  # noqa: S603  # nosec B603 - fixed program, arguments from settings
                [
                    _program("pg_restore"),
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    *_pg_args(config),
                    "--dbname",
                    config["NAME"],
                    str(work / "database.dump"),
                ],
                env=_pg_env(config),
                capture_output=True,
                text=True,
            )
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            target = Path(config["NAME"])
            if target.exists() and target.stat().st_size:
                raise BackupError(f"{target} already holds a database; restore into an empty one.")
            source = sqlite3.connect(work / "database.sqlite3")
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
        if (work / "evidence").is_dir():
            evidence_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "evidence", evidence_root, dirs_exist_ok=True)
    return manifest
