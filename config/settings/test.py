"""The test suite: fast hashing, in-memory e-mail, tasks run immediately."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
# The public development key (base.py) unless the environment names real ones.
JEMBATAN_ENCRYPTION_KEYS = JEMBATAN_ENCRYPTION_KEYS or [DEVELOPMENT_ENCRYPTION_KEY]  # noqa: F405
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
# Thousands of tests sign in with force_login and no second factor; the two-factor tests
# turn it on with override_settings (accounts/tests/test_two_factor*.py).
JEMBATAN_TWO_FACTOR_REQUIRED = False
# The factories' participants never answered the privacy notice: other apps' tests of
# participants' pages would all stop at it. privacy/tests/test_notice.py switches it on.
JEMBATAN_NOTICE_FIRST = False
# A test that reads a public page right after changing what it shows must see the change;
# core/tests/test_public_cache.py turns the cache on.
JEMBATAN_PUBLIC_CACHE_SECONDS = 0
