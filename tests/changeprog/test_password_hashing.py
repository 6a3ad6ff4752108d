"""Passwords are stored with Argon2id at OWASP's settings; a password stored the old way (PBKDF2) is re-stored with
Argon2id when its owner next signs in, and signing in still works."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from changeprog import settings as production

pytestmark = pytest.mark.django_db


def test_the_site_stores_passwords_with_argon2id_at_owasps_settings():
    assert production.PASSWORD_HASHERS[0] == "changeprog.hashers.Argon2idHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        stored = make_password("correct-horse-battery")
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_pbkdf2_password_is_upgraded_at_the_next_sign_in(client):
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = get_user_model().objects.create(
            username="old-hash", password=make_password("correct-horse-battery", hasher="pbkdf2_sha256")
        )
        assert user.password.startswith("pbkdf2_sha256$")
        response = client.post(
            reverse("login"), {"username": "old-hash", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9"
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        client.logout()
        again = client.post(
            reverse("login"), {"username": "old-hash", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.9"
        )
        assert again.status_code == 302
