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


def test_ten_wrong_passwords_lock_that_name_from_that_address_with_a_clear_message(client, officer):
    for _ in range(9):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Signing in is locked for now" in body and "Try again in 15 minutes" in body
    # Even the right password is refused from that address ...
    assert sign_in(client, PASSWORD).status_code == 429 and "_auth_user_id" not in client.session
    # ... but the same person signs in from another address.
    elsewhere = client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert elsewhere.status_code == 302


def test_made_up_names_from_one_address_lock_out_nobody_else(client, officer, superuser):
    superuser.set_password(PASSWORD)
    superuser.save()
    for n in range(30):
        sign_in(client, "guess", username=f"nobody{n}")
    assert sign_in(client, PASSWORD).status_code == 302  # the officer, from the same address
    client.logout()
    assert sign_in(client, PASSWORD, username=superuser.username).status_code == 302


def test_the_cool_off_grows_with_each_run_of_failures_in_a_day(client, officer, settings):
    from changeprog.signin import cool_off_for

    assert [cool_off_for(n).total_seconds() / 60 for n in (10, 19, 20, 30, 40)] == [15, 15, 30, 60, 120]
    assert cool_off_for(10_000).total_seconds() == settings.AXES_COOLOFF_MAX_HOURS * 3600
    for _ in range(10):
        sign_in(client, "wrong")
    AccessAttempt.objects.all().delete()  # the first lock has ended (its attempts expired) ...
    for _ in range(10):
        locked = sign_in(client, "wrong")
    assert (
        locked.status_code == 429 and "Try again in 30 minutes" in locked.content.decode()
    )  # ... the second is longer


def test_the_lock_ends_by_itself_after_its_cool_off(client, officer):
    from axes.models import AccessAttemptExpiration
    from django.utils import timezone

    for _ in range(10):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 429
    # Sixteen minutes later (the first cool-off is fifteen):
    later = timezone.now() - timezone.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=later)
    AccessAttemptExpiration.objects.update(expires_at=later + timezone.timedelta(minutes=15))
    assert sign_in(client, PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_pair_on_the_sign_in_locks_page(client, officer, superuser, viewer):
    for _ in range(10):
        sign_in(client, "wrong")
    admin = client.__class__()
    admin.force_login(superuser)
    page = admin.get(reverse("signin_locks")).content.decode()
    assert "officer" in page and "127.0.0.1" in page
    response = admin.post(reverse("signin_locks"), {"username": "officer", "ip_address": "127.0.0.1"})
    assert response.status_code == 302
    assert "Nobody is locked out of signing in." in admin.get(reverse("signin_locks")).content.decode()
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)
    # Anyone else is refused the page.
    reader = client.__class__()
    reader.force_login(viewer)
    assert reader.get(reverse("signin_locks")).status_code == 403
    assert reader.post(reverse("signin_locks"), {"username": "x", "ip_address": "127.0.0.1"}).status_code == 403


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "seen"),
    [
        ([], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no trusted proxy: the header is ignored
        (["10.0.0.0/8"], "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy: ignored
        (["10.0.0.0/8"], "10.0.0.2", "198.51.100.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.7", "198.51.100.1"),  # forged left part skipped
        (["10.0.0.0/8"], "10.0.0.2", "not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_forwarded_for_only_through_trusted_proxies(
    rf, settings, trusted, remote, forwarded, seen
):
    from changeprog.signin import client_ip

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == seen


def test_behind_a_trusted_proxy_one_client_is_locked_and_another_is_not(client, officer, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def attempt(password, client_address):
        return client.post(
            reverse("login"),
            {"username": "officer", "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(10):
        attempt("wrong", "198.51.100.1")
    assert attempt(PASSWORD, "198.51.100.1").status_code == 429
    assert attempt(PASSWORD, "198.51.100.2").status_code == 302


def test_every_user_changes_their_own_password(client, officer):
    client.force_login(officer)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    new = "another-long-enough-password"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    officer.refresh_from_db()
    assert officer.check_password(new)


def test_a_forgotten_password_is_reset_by_email(client, officer, mailoutbox):
    import re

    officer.email = "officer@force.example"
    officer.save()
    response = client.post(reverse("password_reset"), {"email": "officer@force.example"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["officer@force.example"] and message.subject == "Reset your ChangeProg password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = "a-fresh-long-password-9"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
    # The link works once.
    assert "This link cannot be used" in client.get(link, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@force.example"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


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
