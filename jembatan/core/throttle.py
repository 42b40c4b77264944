"""Slowing repeated public submissions: a fixed-window counter per key.

Self-registration and password-reset requests count here.

The counters live in the ``throttle`` cache, which is the database
(``CACHES`` in the settings), so every server process counts the same tries.
django-ratelimit does the same counting but cannot say when a window ends,
which the visitor is told.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import caches


def _key(kind: str, value: str) -> str:
    # A NIK or an address is personal data: the cache holds only a keyed hash of it.
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"throttle:{kind}:{digest[:32]}"


def seconds_to_wait(kind: str, value: str, *, limit: int, window: int) -> int:
    """Count one try for ``value``; the seconds left in the window once past ``limit``, else 0."""
    now = time.time()
    key = f"{_key(kind, value)}:{int(now // window)}"
    cache = caches["throttle"]
    cache.add(key, 0, timeout=window)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        tries = 1
    if tries <= limit:
        return 0
    return max(1, int(window - now % window))
