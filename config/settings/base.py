"""Settings shared by every environment.

The database is chosen by ``DATABASE_URL``; without it Jembatan uses the
embedded SQLite file under ``var/`` so nothing needs installing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

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
    "jembatan.core",
    "jembatan.accounts",
    "jembatan.organisations",
    "jembatan.participants",
    "jembatan.documents",
    "jembatan.demand",
    "jembatan.training",
    "jembatan.selection",
    "jembatan.matching",
    "jembatan.privacy",
    "jembatan.insights",
    "jembatan.demo",
]

MIDDLEWARE = [
    # /healthz and /readyz for the load balancer: before hosts, sessions and redirects.
    "jembatan.core.health.HealthMiddleware",
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
    # A Content-Security-Policy on pages; nothing shown to a signed-in person is cached.
    "jembatan.core.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jembatan.core.access.AccessMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server write without blocking readers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# SQLite cannot store column comments; PostgreSQL (production) keeps them.
SILENCED_SYSTEM_CHECKS = ["fields.W163"]
