"""Single sign-on's rules without the browser: the group map, groups kept up to date from the claim, and local
passwords for administrators only once it is on. (The whole flow against a real provider is in
tests/browser/test_single_sign_on.py.)"""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User

from changeprog.env import parse_group_map
from changeprog.sso import SignOnBackend
from tests import factories

pytestmark = pytest.mark.django_db

SSO = {
    "OIDC_RP_CLIENT_ID": "changeprog",
    "OIDC_RP_CLIENT_SECRET": "x",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.example/keys",
    "OIDC_GROUP_MAP": {"sg-pmo": "Programme Office", "sg-leads": "Contributor", "sg-chiefs": "Viewer"},
}


@pytest.fixture
def sso_on(settings):
    for name, value in SSO.items():
        setattr(settings, name, value)
    return settings


def test_the_group_map_reads_pairs_and_refuses_a_broken_one():
    assert parse_group_map("a1=Programme Office; b2=Viewer;") == {"a1": "Programme Office", "b2": "Viewer"}
    assert parse_group_map("") == {}
    with pytest.raises(ValueError, match="claim=Group name"):
        parse_group_map("no-equals-sign")


def test_a_first_sign_in_creates_the_person_with_the_mapped_roles(sso_on):
    claims = {"preferred_username": "a.officer@force.example", "email": "a.officer@force.example",
              "given_name": "Ann", "family_name": "Officer", "groups": ["sg-chiefs", "sg-other"]}  # fmt: skip
    user = SignOnBackend().create_user(claims)
    assert (user.username, user.get_full_name(), user.has_usable_password()) == (
        "a.officer@force.example", "Ann Officer", False
    )  # fmt: skip
    assert [g.name for g in user.groups.all()] == ["Viewer"]


def test_each_sign_in_brings_mapped_roles_up_to_date_and_leaves_others_alone(sso_on):
    user = factories.viewer(username="b.lead@force.example")
    user.groups.add(Group.objects.get_or_create(name="Auditors")[0])
    SignOnBackend().update_user(user, {"preferred_username": user.username, "groups": ["sg-leads"]})
    assert sorted(g.name for g in user.groups.all()) == ["Auditors", "Contributor"]


def test_a_person_is_matched_by_their_username_claim_whatever_its_case(sso_on):
    user = factories.viewer(username="c.chief@force.example")
    found = SignOnBackend().filter_users_by_claims({"preferred_username": "C.Chief@Force.example"})
    assert list(found) == [user]
    assert not SignOnBackend().verify_claims({"groups": ["sg-pmo"]})  # no name to match: refused


def test_with_single_sign_on_on_only_administrators_use_local_passwords(rf, sso_on):
    factories.contributor(username="local-lead")
    User.objects.create_user("local-admin", password="correct-horse-battery", is_staff=True)
    request = rf.post("/accounts/login/")
    assert authenticate(request, username="local-lead", password="correct-horse-battery") is None
    assert authenticate(request, username="local-admin", password="correct-horse-battery") is not None
    sso_on.LOCAL_SIGN_IN = "everyone"
    assert authenticate(request, username="local-lead", password="correct-horse-battery") is not None


def test_without_single_sign_on_everyone_signs_in_locally_and_its_pages_are_not_found(client, rf):
    factories.contributor(username="local-lead")
    assert authenticate(rf.post("/"), username="local-lead", password="correct-horse-battery") is not None
    assert client.get("/oidc/authenticate/").status_code == 404
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
