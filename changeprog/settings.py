"""ChangeProg settings, read from the environment.

Every value a deployment changes comes from an environment variable (listed in the README). A value that
cannot be read stops start-up with a message naming the variable, rather than a half-configured server.
"""

import ipaddress
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from changeprog.env import env_bool, env_caches, env_database, env_int, env_json, env_list, env_str, parse_group_map

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable while debugging; production must supply its own.
SECRET_KEY = env_str(
    "SECRET_KEY",
    default="django-insecure-development-only-key-do-not-use-in-production" if DEBUG else None,
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_filters",
    "django_tables2",
    "changeprog",
    "workstreams",
    "risks",
    "reporting",
    "assurance",
    "finance",
    "axes",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: /healthz answers load balancers whatever Host they send.
    "changeprog.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files are stored compressed already), above everything that writes a body.
    "changeprog.middleware.CompressedTextMiddleware",
    "changeprog.middleware.NullCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "changeprog.vocabulary.VocabularyMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A service's refusal a view left unhandled answers 400 with its reason, never 500.
    "changeprog.middleware.ServiceRefusalMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Argon2id, tuned (changeprog/hashers.py); older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "changeprog.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Local usernames and passwords (only administrators' once single sign-on is on, unless LOCAL_SIGN_IN says).
    "changeprog.sso.LocalBackend",
]

# Single sign-on with OpenID Connect (Microsoft Entra ID or any compliant provider): on when OIDC_RP_CLIENT_ID is set.
# For Entra ID the endpoints are https://login.microsoftonline.com/<tenant>/oauth2/v2.0/authorize (and /token),
# https://graph.microsoft.com/oidc/userinfo and https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", default="")
if OIDC_RP_CLIENT_ID:
    OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", default="")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    AUTHENTICATION_BACKENDS.append("changeprog.sso.SignOnBackend")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = True
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", default="Microsoft")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", default="groups")
try:
    OIDC_GROUP_MAP = parse_group_map(env_str("OIDC_GROUP_MAP", default=""))
except ValueError as _error:
    raise ImproperlyConfigured(str(_error)) from _error
LOCAL_SIGN_IN = env_str("LOCAL_SIGN_IN", default="administrators")
if LOCAL_SIGN_IN not in ("administrators", "everyone"):
    raise ImproperlyConfigured("LOCAL_SIGN_IN must be administrators or everyone.")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"

ROOT_URLCONF = "changeprog.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "changeprog.context_processors.site",
                "changeprog.context_processors.navigation",
                "changeprog.context_processors.words",
            ],
        },
    },
]

WSGI_APPLICATION = "changeprog.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (CACHE_URL): Redis in production, shared by every app server; see changeprog/pagecache.py for the
# cached page content and how every governed write invalidates it.
CACHES = env_caches("CACHE_URL", debug=DEBUG)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=15 * 60)
# How the page cache tells which programme a saved record belongs to: through its foreign keys to these records.
PAGE_CACHE_ROOT = "workstreams.programme"
PAGE_CACHE_STRUCTURAL = ["workstreams.workstream", "workstreams.project"]
PAGE_CACHE_PLACED = [
    PAGE_CACHE_ROOT,
    *PAGE_CACHE_STRUCTURAL,
    "workstreams.statusupdate",
    "risks.register",
    "risks.risk",
    "risks.priorityassessment",
    "reporting.report",
    "reporting.reportsection",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded evidence: outside the web root, handed out only by a view that checks the reader's rights.
EVIDENCE_ROOT = Path(env_str("EVIDENCE_ROOT", default=str(BASE_DIR / "var" / "evidence")))
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", default=10) * 1024 * 1024
# Evidence not yet accepted by the office is seen only by the office and the people whose work it is for.
EVIDENCE_VISIBLE_BEFORE_ACCEPTANCE = env_bool("EVIDENCE_VISIBLE_BEFORE_ACCEPTANCE", default=False)
# Tracker imports (Excel): the largest file and the most rows per sheet one import takes.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", default=10) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_MB", default=100) * 1024 * 1024
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", default=2_000_000)

# Background work (tracker imports): Django's tasks framework. "database" queues tasks in the database for
# `python manage.py db_worker` (django-tasks-db); "immediate" runs them at once in the request (development).
_tasks_backend = env_str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
if _tasks_backend not in ("immediate", "database"):
    raise ImproperlyConfigured(
        f"The environment variable TASKS_BACKEND must be immediate or database, not {_tasks_backend!r}."
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if _tasks_backend == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}
FILE_UPLOAD_PERMISSIONS = 0o640
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded evidence: files under EVIDENCE_ROOT with no public address, or any storage class (S3-compatible
    # storage through django-storages, for several app servers) with its options as JSON.
    "evidence": {
        "BACKEND": env_str("EVIDENCE_STORAGE", default="assurance.storage.EvidenceStorage"),
        "OPTIONS": env_json("EVIDENCE_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "tables/table.html"

# The history of every governed change must name the person, so the acting user always comes from the request.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Security. Production (DEBUG off) gets secure cookies, HSTS and HTTPS redirects; a proxy in front of the
# app terminates TLS and says so with X-Forwarded-Proto.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (Django's own): scripts and styles only from this site, no inline script or style
# (report colours come from a per-report stylesheet), pictures from here or inline SVG data.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in throttling (django-axes, see changeprog/signin.py): failures are counted per user name and address
# together; a locked pair waits out a cool-off that grows with its failures in the last day, or an administrator
# unlocks it (Sign-in locks, /accounts/locks/). The address comes from X-Forwarded-For only through TRUSTED_PROXIES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", default=15)
AXES_COOLOFF_MAX_HOURS = env_int("AXES_COOLOFF_MAX_HOURS", default=24)
AXES_COOLOFF_TIME = "changeprog.signin.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each pair's lock ends at its own time
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the failures the cool-off grows with
AXES_CLIENT_IP_CALLABLE = "changeprog.signin.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# The reverse proxies (addresses or networks) whose X-Forwarded-For is believed; none by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"The environment variable TRUSTED_PROXIES must list addresses or networks, not {_proxy!r}."
        ) from _error

# Mail (password reset now; reminders later), Django 6.1's MAILERS. SMTP from the environment; without EMAIL_HOST
# it is printed to the console in development, and handed to the server's own mail transfer agent (localhost:25,
# Django's long-standing default) in production.
_email_host = env_str("EMAIL_HOST", default="" if DEBUG else "localhost")  # lower case: MAILERS holds it
if _email_host:
    _local_mta = _email_host in ("localhost", "127.0.0.1", "::1")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", default=25 if _local_mta else 587),
                "username": env_str("EMAIL_HOST_USER", default=""),
                "password": env_str("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=not _local_mta),
                "use_ssl": env_bool("EMAIL_USE_SSL", default=False),
                "timeout": env_int("EMAIL_TIMEOUT", default=20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="ChangeProg <changeprog@localhost>")
# Whom to tell about an accessibility problem (the accessibility statement names it).
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT", default="your programme office")
# The address people reach the site at: every link in an email starts with it.
SITE_URL = env_str("SITE_URL", default="http://localhost:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", default=2) * 3600

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", default="31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each layout step at INFO; only its warnings are worth a line in the log.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Protective marking shown on every page and printed report (e.g. OFFICIAL, OFFICIAL-SENSITIVE).
PROTECTIVE_MARKING = env_str("PROTECTIVE_MARKING", default="OFFICIAL")

# The house style of Word papers: the body font and size (points), and the colour of headings (hex).
REPORT_FONT = env_str("REPORT_FONT", default="Arial")
REPORT_FONT_SIZE = env_int("REPORT_FONT_SIZE", default=12)
REPORT_HEADING_COLOUR = env_str("REPORT_HEADING_COLOUR", default="000000").lstrip("#").upper()
if not re.fullmatch(r"[0-9A-F]{6}", REPORT_HEADING_COLOUR) or not 6 <= REPORT_FONT_SIZE <= 36:
    raise ImproperlyConfigured("REPORT_HEADING_COLOUR is six hex digits (e.g. 1D70B8); REPORT_FONT_SIZE is 6 to 36.")

# The coloured rows /status-levels.css makes a class for: class prefix -> model (each has colour and text_colour).
COLOUR_CLASSES = {"level": "workstreams.StatusLevel", "risk-band": "risks.RiskBand"}


# The read-only API (docs/api.md): a personal token (`Authorization: Token …`) or the signed-in session, the same
# access rule as the pages, JSON only, pages of 100.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ReadsThePortfolio"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ChangeProg API",
    "DESCRIPTION": "Read-only access to the portfolio, status updates, risks and benefits. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.ReadsThePortfolio"],
    "SERVE_AUTHENTICATION": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}
