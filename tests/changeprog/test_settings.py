"""Configuration from the environment: production values pass Django's deployment checks, bad values stop
start-up with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-key-of-fifty-or-more-characters-with-variety-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "changeprog.force.example",
    "CSRF_TRUSTED_ORIGINS": "https://changeprog.force.example",
    "DATABASE_URL": "sqlite:////tmp/changeprog-settings-test.sqlite3",
}


# The test settings set these for the suite's own process; a production start-up must not inherit them.
TEST_ONLY = {"SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "CONN_MAX_AGE"}
# A guard against a command that hangs, not a speed check: migrating a new database from scratch has taken more than
# two minutes on a 2-core CI machine busy with the rest of the suite.
COMMAND_TIMEOUT = 600


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k not in TEST_ONLY and not k.startswith("DJANGO_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "changeprog.settings", **env},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )


def test_production_values_pass_check_deploy_with_no_issues():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "CACHE_URL": "redis://cache.example:6379/0"}
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_a_cache_url_check_deploy_says_the_page_cache_is_off():
    result = manage("check", "--deploy", env=PRODUCTION)
    assert "changeprog.W001" in result.stderr + result.stdout
    assert "CACHE_URL" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "nonsense", "The environment variable DATABASE_URL is not a database URL"),
        (
            "DATABASE_URL",
            "mysql://u@h/db",
            "The environment variable DATABASE_URL must name a PostgreSQL or SQLite",
        ),
        ("DEBUG", "maybe", "The environment variable DEBUG must be true or false, not 'maybe'."),
        ("CONN_MAX_AGE", "soon", "The environment variable CONN_MAX_AGE must be a whole number of seconds."),
        (
            "EVIDENCE_STORAGE_OPTIONS",
            "{bucket",
            "The environment variable EVIDENCE_STORAGE_OPTIONS must be a JSON object",
        ),
        ("CACHE_URL", "memcached://m:11211", "The environment variable CACHE_URL must be a redis://"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(name, value, message):
    result = manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_without_debug_a_secret_key_is_required():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in result.stderr


def test_debug_runs_with_a_development_key_and_the_sqlite_default():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        env={"DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("django.db.backends.sqlite3")


def test_commands_that_sign_nothing_run_as_the_readme_writes_them_without_a_secret_key(tmp_path):
    """`manage.py backup`, `export_report` and the like, run in a shell with no SECRET_KEY (a development
    checkout after `make run`, or an operator's shell), work; serving pages still needs the key."""
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert manage("migrate", "-v0", env=env).returncode == 0
    backup = manage("backup", "--output", str(tmp_path / "backup.tar.gz"), env=env)
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "backup.tar.gz").exists()
    served = manage("check", env=env)
    assert served.returncode != 0 and "The environment variable SECRET_KEY must be set." in served.stderr


def test_evidence_is_stored_through_the_storage_the_environment_names():
    """Several app servers share one evidence store: any Django storage class, with its options as JSON."""
    probe = (
        "from assurance.models import Evidence; from django.core.files.storage import storages; "
        "print(type(Evidence._meta.get_field('file').storage).__name__, storages['evidence'].base_url)"
    )
    chosen = manage(
        "shell",
        "-c",
        probe,
        env={
            **PRODUCTION,
            "EVIDENCE_STORAGE": "django.core.files.storage.InMemoryStorage",
            "EVIDENCE_STORAGE_OPTIONS": '{"base_url": "/never-public/"}',
        },
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.strip().splitlines()[-1].split() == ["InMemoryStorage", "/never-public/"]
    default = manage("shell", "-c", probe, env=PRODUCTION)
    assert default.stdout.strip().splitlines()[-1].split()[0] == "EvidenceStorage"


def test_postgresql_connections_turn_the_jit_compiler_off_unless_told_otherwise(monkeypatch):
    from changeprog.env import env_database

    monkeypatch.delenv("DATABASE_STARTUP_OPTIONS", raising=False)
    monkeypatch.setenv("TEST_DB_URL", "postgres://app:secret@db.example:5432/changeprog")
    assert env_database("TEST_DB_URL", default="")["OPTIONS"]["options"] == "-c jit=off"
    monkeypatch.setenv("TEST_DB_URL", "postgres://app:secret@db.example:5432/changeprog?options=-c%20search_path%3Dcp")
    assert env_database("TEST_DB_URL", default="")["OPTIONS"]["options"] == "-c search_path=cp"
    monkeypatch.setenv("TEST_DB_URL", "postgres://app:secret@db.example:5432/changeprog")
    monkeypatch.setenv("DATABASE_STARTUP_OPTIONS", "")  # behind a pooler that refuses startup options
    assert "options" not in env_database("TEST_DB_URL", default="").get("OPTIONS", {})
    monkeypatch.setenv("TEST_DB_URL", "sqlite:////tmp/changeprog-settings-test.sqlite3")
    assert "options" not in env_database("TEST_DB_URL", default="")["OPTIONS"]


@pytest.mark.django_db
def test_the_database_in_use_runs_without_the_jit_compiler_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT compiler.")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_an_app_server_process_loads_every_view_and_freezes_it_before_serving():
    """changeprog.wsgi, as gunicorn loads it: the URLconf's views are imported and what start-up loaded is out of
    the garbage collector's full passes, so a page that builds many rows does not pay for walking it again."""
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY and not k.startswith("DJANGO_")}
    script = (
        "import gc, sys; import changeprog.wsgi; "
        "print(gc.get_freeze_count() > 50_000, 'reporting.views' in sys.modules, 'risks.views' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]
