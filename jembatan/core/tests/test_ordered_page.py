"""Paging a list in its own order (``ordered_page``): every row once, in order, no OFFSET."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from jembatan.core.models import AccessLog
from jembatan.core.paging import list_page, ordered_page

pytestmark = pytest.mark.django_db

START = timezone.make_aware(dt.datetime(2026, 1, 5, 8, 0))


@pytest.fixture
def logs() -> list[AccessLog]:
    """Seven reads, three of them at the same moment (the tie the pk breaks)."""
    moments = [START + dt.timedelta(minutes=m) for m in (5, 1, 3, 3, 3, 0, 9)]
    return [
        AccessLog.objects.create(actor_label="oki", actor_role="x", purpose=f"p{i % 3}", at=at)
        for i, at in enumerate(moments)
    ]


def _walk(rows: Any, order: list[str], size: int) -> list[list[Any]]:
    pages, after = [], None
    while True:
        page = ordered_page(rows, order=order, after=after, size=size)
        pages.append(page.items)
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def test_an_ascending_list_pages_in_its_order_ties_broken_by_id(logs: list[AccessLog]) -> None:
    pages = _walk(AccessLog.objects.all(), ["at", "pk"], size=3)

    expected = sorted(logs, key=lambda log: (log.at, log.pk))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [log.pk for page in pages for log in page] == [log.pk for log in expected]


def test_a_descending_list_pages_in_its_order(logs: list[AccessLog]) -> None:
    pages = _walk(AccessLog.objects.all(), ["-at", "-pk"], size=4)

    expected = sorted(logs, key=lambda log: (log.at, log.pk), reverse=True)
    assert [log.pk for page in pages for log in page] == [log.pk for log in expected]


def test_an_aggregate_pages_on_its_group_keys(logs: list[AccessLog]) -> None:
    groups = AccessLog.objects.order_by().values("purpose").annotate(n=Count("id"))

    pages = _walk(groups, ["-purpose"], size=2)

    assert pages == [
        [{"purpose": "p2", "n": 2}, {"purpose": "p1", "n": 2}],
        [{"purpose": "p0", "n": 3}],
    ]


def test_the_last_page_has_no_cursor_even_when_full(logs: list[AccessLog]) -> None:
    page = ordered_page(AccessLog.objects.all(), order=["at", "pk"], after=None, size=7)
    assert len(page.items) == 7 and page.next_cursor is None


@pytest.mark.parametrize(
    "cursor", ["", "not base64!", "bm90IGpzb24", "WzFd", "WyJ4IiwieSJd", "W3RydWUsMV0", None, 5]
)
def test_a_cursor_that_cannot_be_read_means_page_one(logs: list[AccessLog], cursor: Any) -> None:
    page = ordered_page(AccessLog.objects.all(), order=["at", "pk"], after=cursor, size=3)
    first = ordered_page(AccessLog.objects.all(), order=["at", "pk"], after=None, size=3)
    assert [log.pk for log in page.items] == [log.pk for log in first.items]


# --- a list worked out in memory ---------------------------------------------------------

ROWS = sorted([(-days, row, kind) for days in (3, 9, 40) for row in (7, 2) for kind in "ab"])


def _walk_list(after: Any = None, size: int = 5) -> list[list[tuple[int, int, str]]]:
    pages = []
    while True:
        page = list_page(ROWS, key=lambda r: r, after=after, size=size)
        pages.append(page.items)
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


def test_a_sorted_list_in_memory_pages_every_row_once_in_order() -> None:
    pages = _walk_list()

    assert [len(p) for p in pages] == [5, 5, 2]
    assert [row for page in pages for row in page] == ROWS


def test_a_list_page_cursor_skips_nothing_when_the_row_it_names_is_gone() -> None:
    first = list_page(ROWS, key=lambda r: r, after=None, size=5)
    shorter = [row for row in ROWS if row != first.items[-1]]

    second = list_page(shorter, key=lambda r: r, after=first.next_cursor, size=5)

    assert second.items == ROWS[5:10]


@pytest.mark.parametrize("cursor", ["WyJ4IiwieSIsInoiXQ", "WzFd", "garbage", None])
def test_a_list_page_cursor_that_cannot_be_read_means_page_one(cursor: Any) -> None:
    page = list_page(ROWS, key=lambda r: r, after=cursor, size=5)
    assert page.items == ROWS[:5]


def test_an_empty_list_is_one_empty_page() -> None:
    page = list_page([], key=lambda r: r, after="WzFd")
    assert page.items == [] and page.next_cursor is None
