"""A real OpenID Connect provider (django-oidc-provider) for the single sign-on tests, run as its own server in its
own process with its own database: ChangeProg signs people in against it exactly as against Entra ID."""

import os
from pathlib import Path

SECRET_KEY = "provider-used-only-by-the-tests"  # noqa: S105 - a throwaway provider inside the test run
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_op.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("OP_DATABASE", ":memory:")}}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
LOGIN_URL = "/login/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_URL = os.environ.get("OP_SITE_URL", "http://127.0.0.1:8001")
OIDC_USERINFO = "tests.oidc_op.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_op.claims.GroupClaims"
SESSION_COOKIE_NAME = "provider_session"  # the browser keeps ChangeProg's and the provider's apart
CSRF_COOKIE_NAME = "provider_csrftoken"
