"""Keyset pagination: pages by the last id seen, never ``OFFSET`` or ``COUNT(*)``.

A list of a million participants pages as fast on page 10,000 as on page 1.
Lists are ordered by descending id (newest first). A page holds model instances,
or dictionaries with a ``pk`` key when the queryset is ``.values("pk", …)``: a hot
list builds no model instance at all.

A list with a meaningful order of its own (a queue oldest first, requests by
deadline, job orders by submission) pages with :func:`ordered_page` instead: its cursor
holds the sort key of the last row seen, so the order is kept and the next page
starts exactly after that row, still without ``OFFSET`` or ``COUNT(*)``.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

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
    queryset: QuerySet[Any, M], *, after: int | None, size: int = PAGE_SIZE
) -> KeysetPage[M]:
    """The ``size`` rows with the highest ids below ``after``."""
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: size + 1])
    has_more = len(rows) > size
    items = rows[:size]
    if not (has_more and items):
        return KeysetPage(items, None)
    last: Any = items[-1]
    return KeysetPage(items, last["pk"] if isinstance(last, dict) else last.pk)


@dataclass
class OrderedPage(Generic[M]):
    """One page of a list in its own order, and the cursor (opaque text) to the next."""

    items: list[M]
    next_cursor: str | None


def ordered_page(
    queryset: QuerySet[Any, M],
    *,
    order: Sequence[str],
    after: Any,
    size: int = PAGE_SIZE,
) -> OrderedPage[M]:
    """The ``size`` rows that follow the cursor ``after`` in ``order``.

    ``order`` names fields as ``order_by`` does (``"-"`` for descending); together
    they must be unique per row (end with ``"pk"`` where they are not) and never
    null. Rows may be model instances or ``.values()`` dictionaries holding every
    field of ``order``. A cursor that cannot be read means page one.
    """
    queryset = queryset.order_by(*order)
    key = _read_cursor(after, len(order))
    if key is not None:
        # A tampered cursor whose values the fields refuse: start again from page one.
        with contextlib.suppress(ValidationError, ValueError, TypeError):
            queryset = queryset.filter(_following(order, key))
    rows = list(queryset[: size + 1])
    items = rows[:size]
    if len(rows) <= size or not items:
        return OrderedPage(items, None)
    return OrderedPage(items, _write_cursor([_value(items[-1], f) for f in order]))


def list_page(
    rows: Sequence[M],
    *,
    key: Callable[[M], tuple[int | str, ...]],
    after: Any,
    size: int = PAGE_SIZE,
) -> OrderedPage[M]:
    """The ``size`` rows after the cursor ``after`` of a list already sorted by ``key``.

    For a list worked out in memory (every row is needed to sort it anyway): the
    cursor is the key of the last row shown, so a row added or gone between two
    pages neither repeats nor skips another. Keys are unique tuples of ints and text.
    """
    keys = [key(row) for row in rows]
    start = 0
    cursor = _read_cursor(after, len(keys[0])) if keys else None
    if cursor is not None:
        # A cursor whose values are of other types than the key's: page one.
        with contextlib.suppress(TypeError):
            start = bisect_right(keys, tuple(cursor))
    items = list(rows[start : start + size])
    if start + size >= len(rows) or not items:
        return OrderedPage(items, None)
    return OrderedPage(items, _write_cursor(list(keys[start + size - 1])))


def _following(order: Sequence[str], key: list[Any]) -> Q:
    """Rows after ``key``: equal on the first fields, then past it on the next one."""
    after = Q()
    for i, spec in enumerate(order):
        name = spec.lstrip("-")
        past = Q(**{f"{name}__{'lt' if spec.startswith('-') else 'gt'}": key[i]})
        equal = Q(**{f.lstrip("-"): value for f, value in zip(order[:i], key[:i], strict=True)})
        after |= equal & past
    return after


def _value(row: Any, spec: str) -> Any:
    name = spec.lstrip("-")
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _write_cursor(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    text = json.dumps(plain, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _read_cursor(raw: Any, length: int) -> list[Any] | None:
    if not isinstance(raw, str) or not raw or len(raw) > 1000:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        values = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values
