"""``make demo``'s server: the development settings with debug off.

A newcomer should see what users see — Jembatan's own "page not found" and error
pages, not Django's debug pages listing every URL. Static files are still served
from the apps by WhiteNoise (``WHITENOISE_USE_FINDERS`` from dev.py). Seeding and
migrations run with dev.py (seeding refuses when debug is off).
"""

from .dev import *  # noqa: F403

DEBUG = False
