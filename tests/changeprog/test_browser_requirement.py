"""Without Chromium the browser tests skip and say why, unless REQUIRE_BROWSER=1 makes that a failure."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/browser/test_reading_the_programme.py::test_anonymous_visitor_is_sent_to_sign_in_and_lands_on_the_page_they_asked_for"


def run_browser_test(**env):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT,
        # SQLite keeps this inner run's test database apart from the outer run's, whatever that one uses.
        env={
            **os.environ,
            "DATABASE_URL": "sqlite:////tmp/changeprog-inner.sqlite3",
            "CHROMIUM_PATH": "/nonexistent/chromium",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_tests_skip_with_the_reason_when_no_chromium_is_found():
    result = run_browser_test(REQUIRE_BROWSER="0")
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "No Chromium found (install chromium, or set CHROMIUM_PATH to its binary)" in result.stdout


def test_require_browser_turns_a_missing_chromium_into_a_failure():
    result = run_browser_test(REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "REQUIRE_BROWSER=1 requires the browser tests to run" in result.stdout
