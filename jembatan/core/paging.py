"""Keyset pagination: pages by the last id seen, never ``OFFSET`` or ``COUNT(*)``.

A list of a million participants pages as fast on page 10,000 as on page 1.
Lists are ordered by descending id (newest first); a work queue may page oldest
first. A page holds model instances, or dictionaries with a ``pk`` key when the
queryset is ``.values("pk", …)``: a hot list builds no model instance at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

M = TypeVar("M")
PAGE_SIZE = 50


@dataclass
class KeysetPage(Generic[M]):
    """One page of rows and the cursor to the next page, if there is one."""

    items: list[M]
    next_cursor: int | None


def parse_cursor(raw: Any) -> int | None:
    """A cursor from the query string; anything not a positive integer means page one."""
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def keyset_page(
    queryset: QuerySet[Any, M],
    *,
    after: int | None,
    size: int = PAGE_SIZE,
    oldest_first: bool = False,
) -> KeysetPage[M]:
    """The ``size`` rows with the highest ids below ``after``.

    ``oldest_first`` pages the other way, for a work queue taken in the order it
    came in: the ``size`` rows with the lowest ids above ``after``.
    """
    if after is not None:
        queryset = queryset.filter(**{"pk__gt" if oldest_first else "pk__lt": after})
    rows = list(queryset.order_by("pk" if oldest_first else "-pk")[: size + 1])
    has_more = len(rows) > size
    items = rows[:size]
    if not (has_more and items):
        return KeysetPage(items, None)
    last: Any = items[-1]
    return KeysetPage(items, last["pk"] if isinstance(last, dict) else last.pk)
