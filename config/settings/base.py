"""Settings shared by every environment.

The database is chosen by ``DATABASE_URL``; without it Jembatan uses the
embedded SQLite file under ``var/`` so nothing needs installing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def on_off(name: str, value: str, *, default: bool) -> bool:
    """A switch read from the environment: "1" on, "0" off, unset or empty the default."""
    if not value.strip():
        return default
    if value.strip() not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} must be 1 (on) or 0 (off), not {value!r}.")
    return value.strip() == "1"


BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JEMBATAN_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("JEMBATAN_SECRET_KEY", "")
DEBUG = False
# No request body larger than this is read at all (413): the largest upload (a 50 MB
# spreadsheet) and its form. Keep the proxy's client_max_body_size the same (docs/operations.md).
JEMBATAN_MAX_REQUEST_BYTES = int(os.environ.get("JEMBATAN_MAX_REQUEST_BYTES", 60 * 1024 * 1024))
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("JEMBATAN_ALLOWED_HOSTS", "").split(",") if h]
# Every setting read from the environment is listed, with its meaning, in
# docs/operations.md ("Settings"); core/tests/test_settings_documented.py keeps them equal.
# Links in e-mails, PDFs and QR codes, made outside a request.
JEMBATAN_PUBLIC_URL = os.environ.get("JEMBATAN_PUBLIC_URL", "http://127.0.0.1:8000")
# Specific personal data at rest (jembatan/core/encryption.py, ADR 0015): Fernet keys,
# comma-separated; the first encrypts, all decrypt (rotation). Production requires them.
JEMBATAN_ENCRYPTION_KEYS = [
    k.strip() for k in os.environ.get("JEMBATAN_ENCRYPTION_KEYS", "").split(",") if k.strip()
]
# The key development, tests and the demo use when none is set. It is printed here, so
# it protects nothing: production (prod.py) refuses to start with it.
DEVELOPMENT_ENCRYPTION_KEY = "amVtYmF0YW4tZGV2LW9ubHktbm90LXNlY3JldC1rZXk="
# One uploaded document, and the most an officer may raise that limit to.
JEMBATAN_DOCUMENT_MAX_BYTES = int(os.environ.get("JEMBATAN_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))
JEMBATAN_DOCUMENT_CEILING_BYTES = int(
    os.environ.get("JEMBATAN_DOCUMENT_CEILING_BYTES", 20 * 1024 * 1024)
)
# An uploaded spreadsheet: its size and how many rows are read.
JEMBATAN_SPREADSHEET_MAX_BYTES = int(
    os.environ.get("JEMBATAN_SPREADSHEET_MAX_BYTES", 50 * 1024 * 1024)
)
JEMBATAN_SPREADSHEET_MAX_ROWS = int(os.environ.get("JEMBATAN_SPREADSHEET_MAX_ROWS", 1_000_000))
# Outgoing mail (licence reminders, invitations, password resets).
EMAIL_HOST = os.environ.get("JEMBATAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("JEMBATAN_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("JEMBATAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JEMBATAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("JEMBATAN_EMAIL_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("JEMBATAN_EMAIL_FROM", "Jembatan <noreply@localhost>")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jembatan.core",
    "jembatan.accounts",
    "jembatan.organisations",
    "jembatan.participants",
    "jembatan.documents",
    "jembatan.demand",
    "jembatan.training",
    "jembatan.selection",
    "jembatan.matching",
    "jembatan.deployment",
    "jembatan.protection",
    "jembatan.privacy",
    "jembatan.insights",
    "jembatan.demo",
]

MIDDLEWARE = [
    # /healthz and /readyz for the load balancer: before hosts, sessions and redirects.
    "jembatan.core.health.HealthMiddleware",
    # /metrics for the allowed networks or the token (core/metrics.py); times every request.
    "jembatan.core.metrics.MetricsMiddleware",
    # The request id of every log line, from a trusted proxy's X-Request-ID or new (core/logs.py).
    "jembatan.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jembatan.core.interface_language.IndonesianFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A NUL byte (or any control character) in a request is a 400 here, never a 500 below.
    "jembatan.core.input_guard.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # A Content-Security-Policy on pages; nothing shown to a signed-in person is cached.
    "jembatan.core.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A session idle or old past its limit ends here, before any view sees the person.
    "jembatan.accounts.session_limits.SessionLimitsMiddleware",
    "jembatan.core.access.AccessMiddleware",
    # After the access rules: a signed-in person who still owes the second factor is held
    # at the code prompt (or at enrolment) on every page but the public ones.
    "jembatan.accounts.two_factor.TwoFactorMiddleware",
    # A participant who must confirm the privacy notice sees it before any other page.
    "jembatan.privacy.first_sign_in.NoticeFirstMiddleware",
    # Last, so it can replace the answer to the attempt that locked an account or address.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "jembatan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jembatan.core.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jembatan.sqlite3'}"),
        conn_max_age=60,
    )
}
# A PostgreSQL read replica (streaming replication) for the pages that only read
# (core/replica.py); the router sends nothing there unless JEMBATAN_REPLICA names it.
JEMBATAN_REPLICA: str | None = None
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    JEMBATAN_REPLICA = "replica"
DATABASE_ROUTERS = ["jembatan.core.replica.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server write without blocking readers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Counters that slow repeated public submissions (core/throttle.py) must be
# shared by every server process: they live in the database (`jembatan createcachetable`).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "jembatan_throttle",
    },
    # Public pages as visitors without an account see them, kept per process for
    # JEMBATAN_PUBLIC_CACHE_SECONDS (core/public_cache.py): a cache, never shared state.
    "public_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "public-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
JEMBATAN_PUBLIC_CACHE_SECONDS = int(os.environ.get("JEMBATAN_PUBLIC_CACHE_SECONDS", 60))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes counts failed passwords first (the sign-in form, the password re-check, the
# admin's sign-in); Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "jembatan.accounts.lockout.LockoutBackend",
    # Django's password backend, reading each request's user by a statement compiled once.
    "jembatan.accounts.backends.AccountBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
# Each language is named in its own words, whatever the page's language.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "jembatan" / "locale"]
USE_I18N = True
# Dates and numbers in the page's language (config/formats/): 3 Desember 2026, 3 December 2026.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "jembatan" / "static"]
MEDIA_ROOT = VAR_DIR / "private"

# --- Stored files: documents, import files and their reports, licence attachments ---
# Every file goes through Django's storage API (``default_storage`` or a FileField), never a
# path on disk, so any number of processes on any number of machines share them. "local"
# (the embedded default) keeps them under MEDIA_ROOT; "s3" in an S3-compatible object store
# (docs/operations.md, "Object storage"). Files are private either way: no public ACL, and
# they are streamed only by the views that check access.
JEMBATAN_STORAGE = os.environ.get("JEMBATAN_STORAGE", "local").strip() or "local"
if JEMBATAN_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"JEMBATAN_STORAGE must be local or s3, not {JEMBATAN_STORAGE!r}.")


def object_storage(environ: Mapping[str, str]) -> dict[str, Any]:
    """The storage backend of an S3-compatible bucket, from the ``JEMBATAN_S3_*`` settings."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ.get("JEMBATAN_S3_BUCKET", ""),
            "endpoint_url": environ.get("JEMBATAN_S3_ENDPOINT_URL", "") or None,
            "region_name": environ.get("JEMBATAN_S3_REGION", "") or None,
            "access_key": environ.get("JEMBATAN_S3_ACCESS_KEY", "") or None,
            "secret_key": environ.get("JEMBATAN_S3_SECRET_KEY", "") or None,
            "addressing_style": environ.get("JEMBATAN_S3_ADDRESSING_STYLE", "") or "path",
            "signature_version": "s3v4",
            # Private objects; a second upload under one name never replaces the first.
            "default_acl": "private",
            "file_overwrite": False,
            # Nothing is handed out by URL (views stream the file); should a URL ever be
            # made, it is signed and lasts a minute.
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }


FILE_STORAGE: dict[str, Any] = (
    object_storage(os.environ)
    if JEMBATAN_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Signing in: lockout, password reset, session limits (docs/operations.md, "Signing in") ---
# Failed passwords within the cool-off lock the account (whatever the address) and, at a
# higher count, the address (whatever the account). Each attempt during a lockout starts
# the cool-off again. Axes keeps the attempts in its own tables (personal data: addresses).
JEMBATAN_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("JEMBATAN_LOGIN_FAILURES_PER_ACCOUNT", 5))
JEMBATAN_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("JEMBATAN_LOGIN_FAILURES_PER_ADDRESS", 20))
JEMBATAN_LOGIN_COOLOFF_MINUTES = int(os.environ.get("JEMBATAN_LOGIN_COOLOFF_MINUTES", 15))
# Behind the reverse proxy (deploy/nginx), the client's address is the last entry the proxy
# added to X-Forwarded-For; without it every attempt would share the proxy's address.
JEMBATAN_BEHIND_PROXY = os.environ.get("JEMBATAN_BEHIND_PROXY", "") == "1"
# The proxy's addresses (as gunicorn's forwarded_allow_ips): its X-Request-ID is kept.
JEMBATAN_TRUSTED_PROXIES = os.environ.get("JEMBATAN_TRUSTED_PROXIES", "127.0.0.1")
AXES_HANDLER = "jembatan.accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = JEMBATAN_LOGIN_FAILURES_PER_ACCOUNT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = dt.timedelta(minutes=JEMBATAN_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_CALLABLE = "jembatan.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jembatan.accounts.lockout.client_address"
# Unlocking goes through Jembatan's audited page (/akun/terkunci/), not axes' admin.
AXES_ENABLE_ADMIN = False

# A password-reset (or first-password) link works this long, and once.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("JEMBATAN_PASSWORD_RESET_SECONDS", 60 * 60))
# Staff: signed out after 30 minutes without a request, and 12 hours after signing in.
JEMBATAN_SESSION_IDLE_SECONDS = int(os.environ.get("JEMBATAN_SESSION_IDLE_SECONDS", 30 * 60))
JEMBATAN_SESSION_MAX_SECONDS = int(os.environ.get("JEMBATAN_SESSION_MAX_SECONDS", 12 * 60 * 60))
# Participants see only their own record: an hour without a request, the same maximum.
JEMBATAN_PARTICIPANT_SESSION_IDLE_SECONDS = int(
    os.environ.get("JEMBATAN_PARTICIPANT_SESSION_IDLE_SECONDS", 60 * 60)
)
JEMBATAN_PARTICIPANT_SESSION_MAX_SECONDS = int(
    os.environ.get("JEMBATAN_PARTICIPANT_SESSION_MAX_SECONDS", 12 * 60 * 60)
)
# A sensitive action (a licence sanction, starting or approving a matching run, exporting
# someone's personal data) asks for the password again when the last check is older.
JEMBATAN_PASSWORD_RECHECK_SECONDS = int(
    os.environ.get("JEMBATAN_PASSWORD_RECHECK_SECONDS", 15 * 60)
)
# Two-factor sign-in (docs/security.md): every staff role signs in with a code from an
# authenticator app after the password; participants may opt in. Production refuses to
# start with it off (prod.py); the tests and the demo turn it off (test.py, dev.py).
JEMBATAN_TWO_FACTOR_REQUIRED = on_off(
    "JEMBATAN_TWO_FACTOR_REQUIRED",
    os.environ.get("JEMBATAN_TWO_FACTOR_REQUIRED", ""),
    default=True,
)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = "Jembatan"
# A wrong code makes the next try wait 1, 2, 4, 8 … seconds (django-otp's own throttle);
# every wrong code also counts towards the sign-in lockout like a wrong password.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Password-reset requests per window of an hour: per client address, and per e-mail address.
JEMBATAN_RESET_REQUESTS_PER_ADDRESS = 10
JEMBATAN_RESET_REQUESTS_PER_EMAIL = 3
# Django's database sessions, read by a statement compiled once (accounts/sessions.py).
SESSION_ENGINE = "jembatan.accounts.sessions"
# The cookie never outlives the longest session the limits above allow.
SESSION_COOKIE_AGE = max(JEMBATAN_SESSION_MAX_SECONDS, JEMBATAN_PARTICIPANT_SESSION_MAX_SECONDS)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running task whose worker has not beaten for this long is stale and recovered.
JEMBATAN_TASK_LEASE_SECONDS = int(os.environ.get("JEMBATAN_TASK_LEASE_SECONDS", 120))
# /readyz wants a worker seen this recently (0: no worker check).
JEMBATAN_WORKER_SEEN_SECONDS = int(os.environ.get("JEMBATAN_WORKER_SEEN_SECONDS", 180))

# /metrics answers these networks (the connection's address; comma-separated CIDRs) and
# anyone sending "Authorization: Bearer <JEMBATAN_METRICS_TOKEN>" (empty: no token works).
JEMBATAN_METRICS_ALLOW = os.environ.get("JEMBATAN_METRICS_ALLOW", "127.0.0.1/32,::1/128")
JEMBATAN_METRICS_TOKEN = os.environ.get("JEMBATAN_METRICS_TOKEN", "")

# Logs (core/logs.py): "json" (one JSON object a line; production's default) or "text"; every
# line carries the request id, and NIK-like numbers and e-mail addresses are masked first.
JEMBATAN_LOG_FORMAT = os.environ.get("JEMBATAN_LOG_FORMAT", "").strip() or "text"
if JEMBATAN_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(
        f"JEMBATAN_LOG_FORMAT must be json or text, not {JEMBATAN_LOG_FORMAT!r}."
    )


def logging_config(log_format: str) -> dict[str, Any]:
    """Django's ``LOGGING``: ``json`` or ``text`` lines on standard error, masked first."""
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "personal_data": {"()": "jembatan.core.logs.PersonalDataFilter"},
            "request_id": {"()": "jembatan.core.logs.RequestIdFilter"},
        },
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["personal_data", "request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
    }


LOGGING = logging_config(JEMBATAN_LOG_FORMAT)

# SQLite cannot store column comments; PostgreSQL (production) keeps them.
SILENCED_SYSTEM_CHECKS = ["fields.W163"]
