"""How many rows an API list answers at once: the caller's ``limit``, 1 to ``MAX_PAGE``."""

from __future__ import annotations

MAX_PAGE = 500


def page_size(limit: int) -> int:
    """``limit`` held between 1 and ``MAX_PAGE`` (a list never answers with nothing or too much)."""
    return max(1, min(limit, MAX_PAGE))
