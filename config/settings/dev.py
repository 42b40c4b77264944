"""Local development and ``make demo``: debug on, loopback only."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# A development-only key; prod.py refuses to start without a real one.
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-jembatan"
# The public development key (base.py) unless the environment names real ones.
JEMBATAN_ENCRYPTION_KEYS = JEMBATAN_ENCRYPTION_KEYS or [DEVELOPMENT_ENCRYPTION_KEY]  # noqa: F405
# Serve static files straight from the apps while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo's logins use passwords only; production requires the second factor (prod.py).
JEMBATAN_TWO_FACTOR_REQUIRED = False
