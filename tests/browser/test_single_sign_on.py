"""Single sign-on in a real browser against a real OpenID Connect provider (django-oidc-provider) started as its
own server for the test: a new person signs in with the provider, lands on My work with the role their groups
claim gives, and holds no local password."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def provider(live_server, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "OP_DATABASE": str(tmp_path / "provider.sqlite3"),
        "OP_CLIENT_ID": "changeprog",
        "OP_CLIENT_SECRET": "provider-test-secret",
        "OP_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OP_USERS": "j.bloggs:provider-password:Jo:Bloggs:jo.bloggs@force.example",
        "OP_GROUPS": "j.bloggs=changeprog-leads,unrelated-group",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_op.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = server.stdout.readline()
        while "READY" not in line:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The test OpenID provider did not start: {server.stderr.read()}")
            line = server.stdout.readline()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def single_sign_on(settings, provider):
    settings.OIDC_RP_CLIENT_ID = "changeprog"
    settings.OIDC_RP_CLIENT_SECRET = "provider-test-secret"  # noqa: S105
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/openid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/openid/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/openid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/openid/jwks"
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_PROVIDER_NAME = "Force identity"
    settings.OIDC_GROUP_MAP = {"changeprog-leads": "Contributor", "changeprog-office": "Programme Office"}
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "changeprog.sso.SignOnBackend"]
    return provider


def test_a_new_person_signs_in_with_the_provider_and_gets_the_role_their_groups_give(new_page, single_sign_on):
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign in with Force identity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider")
    page.get_by_label("Email or username").fill("j.bloggs")
    page.get_by_label("Provider password").fill("provider-password")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_text("Signed in as")).to_contain_text("Jo Bloggs")
    person = User.objects.get(username="j.bloggs")
    assert person.email == "jo.bloggs@force.example"
    assert [g.name for g in person.groups.all()] == ["Contributor"]
    assert not person.has_usable_password()


def test_with_single_sign_on_on_only_administrators_keep_local_passwords(new_page, single_sign_on):
    from tests import factories

    factories.contributor(username="local-lead")
    factories.UserFactory(username="local-admin", is_staff=True, is_superuser=True)
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("local-lead")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Username").fill("local-admin")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
