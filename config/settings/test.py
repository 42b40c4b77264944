"""The test suite: fast hashing, in-memory e-mail, tasks run immediately."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": FILE_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve no static files; WhiteNoise would only warn that var/static is absent.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Tests assert the English source messages; the Indonesian default (base.py) and the
# translation itself are checked by core/tests/test_i18n.py and scripts/check_messages.py.
LANGUAGE_CODE = "en"
# A replica that mirrors the test database (core/tests/test_replica.py turns the router on
# with JEMBATAN_REPLICA = "replica"; left off, nothing reads from it).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
JEMBATAN_REPLICA = None
