"""Sign-in throttling, and the headers every page carries."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture
def officer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("officer", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Viewer"))
    return user


def sign_in(client, password, username="officer"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_account_with_a_clear_message(client, officer):
    for _ in range(9):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "This account is locked" in locked.content.decode()
    # Even the right password is refused now, from any address.
    again = client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_an_administrator_unlocks_the_account(client, officer, superuser):
    for _ in range(10):
        sign_in(client, "wrong")
    attempt = AccessAttempt.objects.get(username="officer")
    admin = client.__class__()
    admin.force_login(superuser)
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_a_successful_sign_in_forgets_earlier_failures(client, officer):
    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(9):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


def test_every_page_carries_a_content_security_policy_without_inline_script(client, officer):
    client.force_login(officer)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_a_post_without_its_csrf_token_is_refused(officer, pmo):
    from django.test import Client

    from workstreams.models import Programme

    client = Client(enforce_csrf_checks=True)
    client.force_login(pmo)
    response = client.post(reverse("workstreams:programme_create"), {"code": "X1", "name": "Forged", "reason": "x"})
    assert response.status_code == 403
    assert not Programme.objects.filter(code="X1").exists()
