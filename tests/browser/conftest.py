"""Real headless Chromium, driven by Playwright, against the live test server.

Without Chromium the browser tests skip with the reason, unless REQUIRE_BROWSER=1 (as in CI), where a missing
browser fails the run. CHROMIUM_PATH names the browser binary when it is not on the PATH.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str | None:
    """CHROMIUM_PATH if set (and only it), else the first Chromium on the PATH."""
    if os.environ.get("CHROMIUM_PATH"):
        path = os.environ["CHROMIUM_PATH"]
        return path if os.access(path, os.X_OK) else None
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if path is None:
        reason = "No Chromium found (install chromium, or set CHROMIUM_PATH to its binary)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 requires the browser tests to run.", pytrace=False)
        pytest.skip(f"{reason}; browser tests skipped. Set REQUIRE_BROWSER=1 to make this an error.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, shipped_data):
    """Open a fresh browser context (its own cookies) on the live server; call it once per person."""
    contexts, refused = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        # Anything the Content Security Policy refuses (an inline script or style) fails the test.
        page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not refused, f"The Content Security Policy refused: {refused}"


@pytest.fixture
def demo(shipped_data):
    """The demo programme (the seed's), with its users and the password "changeprog-demo"."""
    from demo.portfolio import load_demo

    programme, _ = load_demo(password="changeprog-demo")
    return programme


def sign_in(page, username, password="changeprog-demo", *, go_to_login=True):
    if go_to_login:
        page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
