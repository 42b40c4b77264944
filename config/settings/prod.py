"""Production: every secret comes from the environment; nothing known ships."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEVELOPMENT_ENCRYPTION_KEY,
    JEMBATAN_ENCRYPTION_KEYS,
    JEMBATAN_STORAGE,
    JEMBATAN_TWO_FACTOR_REQUIRED,
    SECRET_KEY,
    logging_config,
    on_off,
)

# What production cannot guess; docs/operations.md ("Settings") says what each is.
REQUIRED = (
    "JEMBATAN_SECRET_KEY",
    "JEMBATAN_ALLOWED_HOSTS",
    "DATABASE_URL",
    "JEMBATAN_PUBLIC_URL",
    "JEMBATAN_ENCRYPTION_KEYS",
)
missing = [name for name in REQUIRED if not os.environ.get(name)]
# Files in an object store need to know which bucket.
if JEMBATAN_STORAGE == "s3" and not os.environ.get("JEMBATAN_S3_BUCKET"):
    missing.append("JEMBATAN_S3_BUCKET")
if missing:
    raise ImproperlyConfigured(
        "Production needs these settings in the environment: "
        + ", ".join(missing)
        + " (docs/operations.md, “Settings”)."
    )
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "JEMBATAN_SECRET_KEY is too weak: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
if not JEMBATAN_TWO_FACTOR_REQUIRED:
    raise ImproperlyConfigured(
        "JEMBATAN_TWO_FACTOR_REQUIRED is off: production requires the second factor for every "
        "staff role. Remove the setting (it is on by default) or set it to 1."
    )

# Specific personal data is encrypted under these (ADR 0015): never the public development
# key, and each must be a real Fernet key, or nothing could be read or written.
if DEVELOPMENT_ENCRYPTION_KEY in JEMBATAN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "JEMBATAN_ENCRYPTION_KEYS holds the development key, which is public: generate a "
        "real one (docs/operations.md, “Encryption keys”)."
    )
try:
    [Fernet(key) for key in JEMBATAN_ENCRYPTION_KEYS]
except ValueError:
    raise ImproperlyConfigured(
        "A key in JEMBATAN_ENCRYPTION_KEYS is not a Fernet key; generate one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'."
    ) from None

DEBUG = False
# JSON lines unless told otherwise (docs/operations.md, "Logs").
if not os.environ.get("JEMBATAN_LOG_FORMAT", "").strip():
    LOGGING = logging_config("json")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = True
# HSTS (docs/operations.md): browsers keep to HTTPS for a year, on every subdomain of the
# host too. "preload" only allows submitting the domain to the browsers' preload list
# (hstspreload.org); nothing is submitted by itself. Turn either off only knowingly:
# `jembatan check --deploy` then warns about it.
SECURE_HSTS_SECONDS = int(os.environ.get("JEMBATAN_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = on_off(
    "JEMBATAN_HSTS_INCLUDE_SUBDOMAINS",
    os.environ.get("JEMBATAN_HSTS_INCLUDE_SUBDOMAINS", ""),
    default=True,
)
SECURE_HSTS_PRELOAD = on_off(
    "JEMBATAN_HSTS_PRELOAD", os.environ.get("JEMBATAN_HSTS_PRELOAD", ""), default=True
)
# Behind a reverse proxy that terminates TLS: believe its X-Forwarded-Proto only
# when told to (a direct client could otherwise claim https). deploy/nginx sets it.
if os.environ.get("JEMBATAN_BEHIND_PROXY", "") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's probes come over plain HTTP (core/health.py answers them first).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
STORAGES = {
    "default": FILE_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
